// Playback and recording use cases, framework-free: who may see which camera's past (the same org scope as live),
// VOD playlists over a time range, the day's timeline, per-camera settings and locked ranges. Every playback open is
// audited with the camera and the time range. Recording plans and defaults are in plans.ts.
import type { DaysQuery, RangeQuery, RecordedDays, RecordingLock, Timeline } from '../contracts/recordings';
import type { Queryable } from '../db/database';
import type { CameraWithPath } from '../db/repositories/cameras';
import type { Repositories } from '../db/repositories';
import type { UserWithScope } from '../db/repositories/users';
import { BadRequestError, NotFoundError } from '../errors';
import { dedupe, spansOf, vodPlaylist, type PlayableSegment, type Recorder } from '../media/record';
import { inScope } from '../domain/scope';
import { localMidnight, recordedDays } from '../domain/recorded-days';
import { continuousRun, exportClip } from '../media/record/clip';
import { HttpError } from '../errors';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordingDeps {
  db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> };
  repos: Repositories;
  recorder: Recorder;
  /** Live rewind length, for the timeline's ringStart. */
  ringMs: number;
  defaultRetentionDays: number;
  /** The store's directory (clip export reads its files). */
  dir: string;
}

/** A clip covers at most this much (issue #17: 30 min). */
export const MAX_CLIP_MS = 30 * 60_000;
/** Clip exports running at once (each remuxes on the serving thread's event loop, in async steps). */
const MAX_EXPORTS = 2;

/** A playlist covers at most this much (a day's timeline is cheap; a day's playlist would be ~10 MB). */
export const MAX_PLAYLIST_MS = 6 * 3600_000;
export const MAX_TIMELINE_MS = 48 * 3600_000;
/** The day picker asks a month or two at a time. */
export const MAX_DAYS = 62;

interface Caller {
  user: UserWithScope;
  ip: string;
}

/** A resident allowed to rewind one camera of their link (ShareService.authorizeRewind). */
export interface ResidentGrant {
  linkId: number;
  label: string;
  device: string;
  token: string;
  orgUnitId: number;
  /** The earliest moment the link lets them play now. */
  fromMs: number;
}

const unitOfPath = (path: string): number | null => {
  const last = path.split('/').filter(Boolean).pop();
  return last ? Number(last) : null;
};

export class RecordingService {
  private exporting = 0;
  constructor(private readonly deps: RecordingDeps) {}

  /** The range as one MP4 (remuxed, not transcoded), audited as recording.export. The clip stops at the first
   * discontinuity (`cut`). The caller streams `path` and then calls `done()` to delete it. */
  async clip(caller: Caller, cameraId: number, q: RangeQuery): Promise<{ path: string; cut: boolean; done: () => Promise<void> }> {
    const camera = await this.visible(caller.user, cameraId);
    const { fromMs, toMs } = this.range(q, MAX_CLIP_MS);
    const segs = await this.segments(cameraId, fromMs, toMs, q.stream);
    const { run, cut } = continuousRun(segs);
    if (run.length === 0) throw new NotFoundError(`Video of camera ${cameraId} in that range`);
    if (this.exporting >= MAX_EXPORTS) throw new HttpError(503, 'Other clips are being exported; try again shortly');
    this.exporting++;
    const dir = await mkdtemp(join(tmpdir(), 'cvc-clip-'));
    const done = () => rm(dir, { recursive: true, force: true });
    try {
      const files = await this.deps.repos.recordings.filesOverlapping(cameraId, fromMs, toMs);
      const paths = new Map(files.map((f) => [f.id, f.path]));
      const path = join(dir, 'clip.mp4');
      await exportClip(this.deps.dir, (id) => paths.get(id)!, run, path).catch((err: Error) => {
        throw new HttpError(422, `The stored video of that range cannot be remuxed: ${err.message}`);
      });
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: caller.user.id, actorName: caller.user.username, action: 'recording.export',
        targetType: 'camera', targetId: cameraId, orgUnitId: unitOfPath(camera.orgPath), ip: caller.ip,
        detail: { from: new Date(run[0]!.startMs).toISOString(), to: new Date(run[run.length - 1]!.startMs + run[run.length - 1]!.durationMs).toISOString(), cut },
      });
      return { path, cut, done };
    } catch (err) {
      await done();
      throw err;
    } finally {
      this.exporting--;
    }
  }

  /** The camera if the caller's area holds it, else 404 (as for live). */
  async visible(user: UserWithScope, cameraId: number): Promise<CameraWithPath> {
    const camera = await this.deps.repos.cameras.byId(cameraId);
    if (!camera || !inScope(user.scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`);
    return camera;
  }

  private range(q: RangeQuery, max: number): { fromMs: number; toMs: number } {
    const fromMs = Date.parse(q.from);
    const toMs = Date.parse(q.to);
    if (!(toMs > fromMs)) throw new BadRequestError('must be after from', 'to');
    if (toMs - fromMs > max) throw new BadRequestError(`range longer than ${max / 3600_000} h`, 'to');
    return { fromMs, toMs };
  }

  /** What a player of the range would get (one stream, ring and recording deduplicated), oldest first. */
  async storedSegments(cameraId: number, fromMs: number, toMs: number): Promise<PlayableSegment[]> {
    return dedupe(await this.segments(cameraId, fromMs, toMs));
  }

  /** Segments of one stream: the one asked for, else the main stream's, else the sub-stream's (a tile on the
   * sub-stream of a camera without one played, and so stored, the main stream). Never both in one playlist. */
  private async segments(cameraId: number, fromMs: number, toMs: number, stream?: 'main' | 'sub'): Promise<PlayableSegment[]> {
    if (stream) return this.segmentsOf(cameraId, fromMs, toMs, stream);
    const main = await this.segmentsOf(cameraId, fromMs, toMs, 'main');
    return main.length ? main : this.segmentsOf(cameraId, fromMs, toMs, 'sub');
  }

  private async segmentsOf(cameraId: number, fromMs: number, toMs: number, stream: 'main' | 'sub'): Promise<PlayableSegment[]> {
    const files = await this.deps.repos.recordings.filesOverlapping(cameraId, fromMs, toMs, stream);
    const format = new Map(files.map((f) => [f.id, f.format]));
    const rows = await this.deps.repos.recordings.segmentsOf(files.map((f) => f.id), fromMs, toMs);
    return rows.map((r) => ({ ...r, format: format.get(r.fileId)! }));
  }

  async timeline(user: UserWithScope, cameraId: number, q: RangeQuery): Promise<Timeline> {
    await this.visible(user, cameraId);
    const { fromMs, toMs } = this.range(q, MAX_TIMELINE_MS);
    const segs = await this.segments(cameraId, fromMs, toMs, q.stream);
    const spans = spansOf(segs).map((s) => ({ start: new Date(Math.max(s.startMs, fromMs)).toISOString(), end: new Date(Math.min(s.endMs, toMs)).toISOString() }));
    const ringStart = segs.length ? new Date(Math.max(segs[0]!.startMs, Date.now() - this.deps.ringMs)).toISOString() : null;
    return { cameraId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), spans, ringStart };
  }

  /** Local days holding video of the camera (for the day picker), from the files' spans: cheap over months. */
  async days(user: UserWithScope, cameraId: number, q: DaysQuery): Promise<RecordedDays> {
    await this.visible(user, cameraId);
    const offset = q.tzOffset ?? -new Date().getTimezoneOffset();
    const fromMs = localMidnight(q.from, offset);
    const toMs = localMidnight(q.to, offset) + 86_400_000;
    if (!(toMs > fromMs)) throw new BadRequestError('must not be before from', 'to');
    if (toMs - fromMs > MAX_DAYS * 86_400_000) throw new BadRequestError(`range longer than ${MAX_DAYS} days`, 'to');
    const files = await this.deps.repos.recordings.filesOverlapping(cameraId, fromMs, toMs, q.stream);
    return { cameraId, days: recordedDays(files, q.from, q.to, offset) };
  }

  /** A VOD playlist of what is stored in the range (404 when nothing is), audited as playback.open. */
  async playlist(caller: Caller, cameraId: number, q: RangeQuery): Promise<string> {
    const camera = await this.visible(caller.user, cameraId);
    const { fromMs, toMs } = this.range(q, MAX_PLAYLIST_MS);
    const segs = await this.segments(cameraId, fromMs, toMs, q.stream);
    if (segs.length === 0) throw new NotFoundError(`Video of camera ${cameraId} in that range`);
    await this.deps.repos.audit.record({
      actorType: 'user', actorId: caller.user.id, actorName: caller.user.username, action: 'playback.open',
      targetType: 'camera', targetId: cameraId, orgUnitId: unitOfPath(camera.orgPath), ip: caller.ip,
      detail: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), stream: q.stream ?? 'any' },
    });
    return vodPlaylist(segs);
  }

  /**
   * A resident's rewind (回看) playlist: the range clipped to what the link allows now (`grant.fromMs`, see
   * residentRewindFrom) and to now; only whole segments that start inside it, so nothing before the link's window
   * is listed. Every URI carries the viewer token. Audited as playback.open by the link, like a staff open.
   */
  async residentPlaylist(grant: ResidentGrant, cameraId: number, q: { from: string; to: string }, ip: string): Promise<string> {
    const asked = this.range({ from: q.from, to: q.to }, MAX_PLAYLIST_MS);
    const fromMs = Math.max(asked.fromMs, grant.fromMs);
    const toMs = Math.min(asked.toMs, Date.now());
    const segs = toMs > fromMs ? (await this.segments(cameraId, fromMs, toMs)).filter((s) => s.startMs >= grant.fromMs) : [];
    if (segs.length === 0) throw new NotFoundError(`Video of camera ${cameraId} in that range`);
    await this.deps.repos.audit.record({
      actorType: 'resident', actorId: `link:${grant.linkId}`, actorName: grant.label, action: 'playback.open',
      targetType: 'camera', targetId: cameraId, orgUnitId: grant.orgUnitId, ip,
      detail: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), device: grant.device },
    });
    return vodPlaylist(segs, `?v=${encodeURIComponent(grant.token)}`);
  }

  /**
   * A stored file's byte range for a resident: only a range a rewind playlist of theirs lists (one whole segment, or
   * a CMAF init, of a segment starting inside what the link allows now), so a resident cannot read a file's older
   * bytes by asking for a wider range. 404 for anything else.
   */
  async residentFileRange(grant: ResidentGrant, cameraId: number, fileId: number, start: number, end: number): Promise<{ path: string; bytes: number; format: 'mpegts' | 'cmaf' }> {
    const f = await this.deps.repos.recordings.fileById(fileId);
    if (!f || f.cameraId !== cameraId) throw new NotFoundError(`File ${fileId}`);
    const allowed = await this.deps.repos.recordings.segmentsOf([fileId], grant.fromMs, Date.now() + 60_000);
    const listed = allowed.some((s) => s.startMs >= grant.fromMs
      && ((s.offset === start && s.offset + s.size - 1 === end) || (s.initOffset === start && s.initSize !== null && s.initOffset + s.initSize - 1 === end)));
    if (!listed) throw new NotFoundError(`That part of file ${fileId}`);
    return { path: f.path, bytes: f.bytes, format: f.format };
  }

  /** A stored file of the camera (the byte-range route reads it), 404 for another camera's file. */
  async file(user: UserWithScope, cameraId: number, fileId: number): Promise<{ path: string; bytes: number; format: 'mpegts' | 'cmaf' }> {
    await this.visible(user, cameraId);
    const f = await this.deps.repos.recordings.fileById(fileId);
    if (!f || f.cameraId !== cameraId) throw new NotFoundError(`File ${fileId}`);
    return { path: f.path, bytes: f.bytes, format: f.format };
  }

  async locks(user: UserWithScope, cameraId: number): Promise<RecordingLock[]> {
    await this.visible(user, cameraId);
    return (await this.deps.repos.recordings.locks(cameraId)).map(toLock);
  }

  async lock(caller: Caller, cameraId: number, body: { from: string; to: string; reason?: string }): Promise<RecordingLock> {
    const camera = await this.visible(caller.user, cameraId);
    const { fromMs, toMs } = this.range({ from: body.from, to: body.to }, 24 * 3600_000);
    const lock = await this.deps.db.transaction(async (tx) => {
      const l = await this.deps.repos.recordings.addLock({ cameraId, startMs: fromMs, endMs: toMs, reason: body.reason ?? '', createdBy: caller.user.id }, tx);
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: caller.user.id, actorName: caller.user.username, action: 'recording.lock',
        targetType: 'camera', targetId: cameraId, orgUnitId: unitOfPath(camera.orgPath), ip: caller.ip,
        detail: { from: body.from, to: body.to, reason: body.reason ?? '' },
      }, tx);
      return l;
    });
    return toLock(lock);
  }
}

function toLock(l: { id: number; cameraId: number; startMs: number; endMs: number; reason: string; createdAt: string }): RecordingLock {
  return { id: l.id, cameraId: l.cameraId, from: new Date(l.startMs).toISOString(), to: new Date(l.endMs).toISOString(), reason: l.reason, createdAt: l.createdAt };
}
