// Device playback use cases (设备回放): search a camera's own recording (NVR/SD card) and replay it as HLS. Same area
// rules as live and server playback (a camera outside the caller's area is 404); every replay opened is audited as
// playback.open with source 'device'. Framework-free: the media plugin hands in the repositories, the replay
// sessions (server/media/device-replays.ts), the ONVIF search and the networks' playback URL templates.
import type { DeviceRangeQuery, DeviceRecordings } from '../contracts/recordings';
import type { Repositories } from '../db/repositories';
import type { UserWithScope } from '../db/repositories/users';
import { inScope } from '../domain/scope';
import { BadRequestError, ConflictError, NotFoundError } from '../errors';
import { type DeviceSpan, type DeviceTarget, clockTime, playbackUrlFromTemplate } from '../media/device-recordings';
import type { DeviceReplays } from '../media/device-replays';
import type { ServedFile } from '../media/live-window';
import type { StreamSource } from '../media/types';

export interface DeviceSearcher {
  search(t: DeviceTarget, fromMs: number, toMs: number): Promise<{ spans: DeviceSpan[]; replayUri: Map<string, string> } | 'unsupported'>;
}

export interface DevicePlaybackDeps {
  repos: Repositories;
  replays: DeviceReplays;
  onvif: DeviceSearcher;
  /** Network key → its RTSP playback URL template (config networks[].rtspPlaybackTemplate). */
  templates: Map<string, string>;
}

/** A search covers at most two days (the wall's day picker asks one day). */
export const MAX_DEVICE_SEARCH_MS = 48 * 3600_000;
/** A replay asks the device for at most this much at once (as server playback playlists). */
export const MAX_DEVICE_REPLAY_MS = 6 * 3600_000;
/** The same viewer re-polling the same replay is audited once per this long. */
const AUDIT_EVERY_MS = 10 * 60_000;

interface Caller { user: UserWithScope; ip: string; viewerKey: string }

type Plan = { source: 'onvif'; target: DeviceTarget } | { source: 'template'; url: (fromMs: number, toMs: number) => string | undefined; username?: string; password?: string } | { source: 'none'; reason: string };

const unitOfPath = (path: string): number | null => {
  const last = path.split('/').filter(Boolean).pop();
  return last ? Number(last) : null;
};

export class DevicePlaybackService {
  private readonly audited = new Map<string, number>();

  constructor(private readonly deps: DevicePlaybackDeps) {}

  async search(user: UserWithScope, cameraId: number, q: { from: string; to: string }): Promise<DeviceRecordings> {
    await this.visible(user, cameraId);
    const { fromMs, toMs } = range(q, MAX_DEVICE_SEARCH_MS);
    const out = { cameraId, from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() };
    const plan = await this.plan(cameraId);
    if (plan.source === 'none') return { ...out, source: 'none', reason: plan.reason, spans: [] };
    if (plan.source === 'template') {
      // The platform takes any range in the URL and does not say what it holds: the whole range is offered.
      return { ...out, source: 'template', reason: null, spans: [{ start: out.from, end: out.to }] };
    }
    const found = await this.deps.onvif.search(plan.target, fromMs, toMs);
    if (found === 'unsupported') return { ...out, source: 'none', reason: 'the camera offers no ONVIF recording search or replay (Profile G) and its network has no RTSP playback URL template', spans: [] };
    return {
      ...out, source: 'onvif', reason: null,
      spans: found.spans.map((s) => ({ start: new Date(s.startMs).toISOString(), end: new Date(s.endMs).toISOString() })),
    };
  }

  /** The replay's HLS playlist from `from` (starts its relay; dated from `from`), audited as playback.open. */
  async playlist(caller: Caller, cameraId: number, q: DeviceRangeQuery): Promise<string> {
    const camera = await this.visible(caller.user, cameraId);
    const { fromMs, toMs } = range(q, MAX_DEVICE_REPLAY_MS);
    const scale = q.scale ?? 1;
    const replay = this.deps.replays.open(cameraId, fromMs, scale, await this.sourceFor(cameraId, fromMs, toMs, scale));
    const text = await this.deps.replays.playlist(replay, caller.viewerKey);
    const key = `${caller.viewerKey}:${cameraId}:${replay.session}`;
    const now = Date.now();
    if ((this.audited.get(key) ?? 0) < now - AUDIT_EVERY_MS) {
      this.audited.set(key, now);
      if (this.audited.size > 10_000) for (const [k, at] of this.audited) if (at < now - AUDIT_EVERY_MS) this.audited.delete(k);
      await this.deps.repos.audit.record({
        actorType: 'user', actorId: caller.user.id, actorName: caller.user.username, action: 'playback.open',
        targetType: 'camera', targetId: cameraId, orgUnitId: unitOfPath(camera.orgPath), ip: caller.ip,
        detail: { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), source: 'device', scale },
      });
    }
    return text;
  }

  async segment(user: UserWithScope, cameraId: number, session: string, file: string): Promise<ServedFile> {
    await this.visible(user, cameraId);
    const replay = this.deps.replays.find(cameraId, session);
    const served = replay && this.deps.replays.segment(replay, file);
    if (!served) throw new NotFoundError(`Segment ${file}`);
    return served;
  }

  private async visible(user: UserWithScope, cameraId: number) {
    const camera = await this.deps.repos.cameras.byId(cameraId);
    if (!camera || !inScope(user.scopePath, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`);
    return camera;
  }

  /** ONVIF when the camera was added through ONVIF, else its network's template, else the reason there is none. */
  private async plan(cameraId: number): Promise<Plan> {
    const t = await this.deps.repos.cameras.ptzTarget(cameraId);
    if (!t) throw new NotFoundError(`Camera ${cameraId}`);
    if (t.sourceKind === 'onvif' && /^https?:\/\//.test(t.xaddr)) {
      return { source: 'onvif', target: { xaddr: t.xaddr, username: t.username, password: t.password } };
    }
    const camera = await this.deps.repos.cameras.byId(cameraId);
    const template = camera && this.deps.templates.get(camera.network);
    const live = await this.deps.repos.cameras.source(cameraId, 'main');
    if (template && live) {
      return { source: 'template', url: (a, b) => playbackUrlFromTemplate(template, live.url, 1, a, b), username: live.username, password: live.password };
    }
    return { source: 'none', reason: 'the camera has no ONVIF device address and its network has no RTSP playback URL template' };
  }

  private async sourceFor(cameraId: number, fromMs: number, toMs: number, scale: number): Promise<StreamSource> {
    const plan = await this.plan(cameraId);
    if (plan.source === 'none') throw new ConflictError(`camera ${cameraId}: ${plan.reason}`);
    if (plan.source === 'template') {
      const url = plan.url(fromMs, toMs);
      if (!url) throw new ConflictError(`camera ${cameraId}: its live address is not RTSP, so the playback URL template does not apply`);
      return { url, username: plan.username, password: plan.password, scale };
    }
    const found = await this.deps.onvif.search(plan.target, fromMs, fromMs + 1000);
    if (found === 'unsupported') throw new ConflictError(`camera ${cameraId}: the camera offers no ONVIF recording replay (Profile G)`);
    const span = found.spans[0];
    if (!span) throw new NotFoundError(`Device recording of camera ${cameraId} at ${new Date(fromMs).toISOString()}`);
    return {
      url: found.replayUri.get(span.token)!, username: plan.target.username, password: plan.target.password,
      playRange: `clock=${clockTime(fromMs)}-`, scale,
    };
  }
}

function range(q: { from: string; to: string }, max: number): { fromMs: number; toMs: number } {
  const fromMs = Date.parse(q.from);
  const toMs = Date.parse(q.to);
  if (!(toMs > fromMs)) throw new BadRequestError('must be after from', 'to');
  if (toMs - fromMs > max) throw new BadRequestError(`range longer than ${max / 3600_000} h`, 'to');
  return { fromMs, toMs };
}
