// Camera snapshots (JPEG) for thumbnails, without starting anything. Two sources, in this order:
//  1. a relay that is already running: its newest segment starts with a key frame, so ffmpeg decodes one frame of
//     it (`-frames:v 1`) and scales it down; no camera is contacted at all;
//  2. the camera's own ONVIF snapshot address, fetched with its credentials (snapshot-fetch.ts).
// Neither starts a relay: a thumbnail grid of 74 cameras must not open 74 RTSP sessions. And no RTSP frame grab
// either: ffmpeg would need the camera's password in its command line (visible to every local user in /proc),
// and a full RTSP handshake plus a wait for the next key frame (up to a GOP, often 2-4 s) per thumbnail is
// neither cheap nor bounded enough for a grid.
// ffmpeg runs are bounded: a few at a time (a queue beyond), one thread each, a deadline, a capped output. Answers
// are cached per camera for a few seconds and concurrent requests for one camera share one attempt.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SnapshotError } from './errors';
import type { LatestSegment } from './live-window';
import { fetchSnapshot, isJpeg, type SnapshotFetchOptions, type SnapshotFetchTarget } from './snapshot-fetch';

/** The first executable `ffmpeg` on PATH, or null. Looked up once by the caller, at start. */
export function findFfmpeg(path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'ffmpeg');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch { /* next */ }
  }
  return null;
}

export interface FrameGrabberOptions {
  /** Thumbnails wider than this are scaled down (aspect kept); narrower ones stay as they are. */
  maxWidth?: number;
  timeoutMs?: number;
  /** ffmpeg processes at once; further requests wait in a queue. */
  maxConcurrent?: number;
  /** Requests waiting beyond this are refused ('busy') rather than queued without end. */
  maxQueued?: number;
  maxOutputBytes?: number;
  /** JPEG quality for ffmpeg's -q:v (2 best … 31 worst). */
  quality?: number;
}

export interface FrameGrabberStats {
  running: number;
  queued: number;
  /** Most ffmpeg processes that ever ran at once. */
  peak: number;
  spawned: number;
  failed: number;
}

/** One JPEG from one segment through `ffmpeg … -frames:v 1 -f image2 -c:v mjpeg`, with bounded concurrency. */
export class FrameGrabber {
  private readonly maxWidth: number;
  private readonly timeoutMs: number;
  private readonly maxConcurrent: number;
  private readonly maxQueued: number;
  private readonly maxOutputBytes: number;
  private readonly quality: number;
  private readonly queue: Array<() => void> = [];
  private running = 0;
  private counters = { peak: 0, spawned: 0, failed: 0 };

  constructor(readonly ffmpegPath: string, opts: FrameGrabberOptions = {}) {
    this.maxWidth = opts.maxWidth ?? 640;
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.maxConcurrent = Math.max(1, opts.maxConcurrent ?? 2);
    this.maxQueued = opts.maxQueued ?? 200;
    this.maxOutputBytes = opts.maxOutputBytes ?? 2 * 1024 * 1024;
    this.quality = opts.quality ?? 5;
  }

  stats(): FrameGrabberStats {
    return { running: this.running, queued: this.queue.length, ...this.counters };
  }

  async grab(segment: LatestSegment): Promise<Buffer> {
    await this.slot();
    try {
      return await this.run(segment);
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  private slot(): Promise<void> {
    if (this.running < this.maxConcurrent) {
      this.take();
      return Promise.resolve();
    }
    if (this.queue.length >= this.maxQueued) return Promise.reject(new SnapshotError('busy'));
    return new Promise((resolve) => this.queue.push(() => {
      this.take();
      resolve();
    }));
  }

  private take(): void {
    this.running++;
    this.counters.peak = Math.max(this.counters.peak, this.running);
  }

  private run(segment: LatestSegment): Promise<Buffer> {
    const input = segment.format === 'cmaf' && segment.init ? Buffer.concat([segment.init, segment.body]) : Buffer.from(segment.body.buffer, segment.body.byteOffset, segment.body.byteLength);
    const args = [
      '-hide_banner', '-loglevel', 'error', '-threads', '1',
      '-f', segment.format === 'cmaf' ? 'mp4' : 'mpegts', '-i', 'pipe:0',
      '-map', '0:v:0', '-frames:v', '1', '-an',
      // Never wider than maxWidth, even height (-2) for the JPEG encoder; full-range YUV is what mjpeg wants.
      '-vf', `scale='min(${this.maxWidth},iw)':-2,format=yuvj420p`, '-filter_threads', '1',
      '-c:v', 'mjpeg', '-q:v', String(this.quality), '-f', 'image2', 'pipe:1',
    ];
    this.counters.spawned++;
    return new Promise<Buffer>((resolve, reject) => {
      const child = spawn(this.ffmpegPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let size = 0;
      let settled = false;
      const finish = (err: SnapshotError | null, jpeg?: Buffer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (err) {
          this.counters.failed++;
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
          reject(err);
        } else {
          resolve(jpeg!);
        }
      };
      const timer = setTimeout(() => finish(new SnapshotError('timeout')), this.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.maxOutputBytes) return finish(new SnapshotError('too large'));
        chunks.push(chunk);
      });
      // ffmpeg's own words never reach an answer or a log (they can quote the input): drained and dropped.
      child.stderr.resume();
      child.on('error', () => finish(new SnapshotError('decoder failed')));
      child.on('close', (code) => {
        const jpeg = Buffer.concat(chunks);
        if (code === 0 && isJpeg(jpeg)) finish(null, jpeg);
        else finish(new SnapshotError('decoder failed'));
      });
      // ffmpeg may stop reading once it has its frame: a broken pipe then is expected, not a failure.
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    });
  }
}

export type SnapshotSourceKind = 'relay' | 'onvif';

export interface Snapshot {
  jpeg: Buffer;
  source: SnapshotSourceKind;
  /** ms since epoch when it was made (answers from the cache keep their original time). */
  takenAt: number;
}

export interface SnapshotServiceOptions {
  /** The running relay's newest segment, if a relay runs (RelayManager.latestSegment). Must not start one. */
  latestSegment: (cameraId: number) => LatestSegment | undefined;
  /** The camera's snapshot address with its credentials, or null when it has none. */
  snapshotSource: (cameraId: number) => Promise<SnapshotFetchTarget | null>;
  /** Null without ffmpeg: then only the camera's own snapshot is used. */
  grabber: FrameGrabber | null;
  fetch?: SnapshotFetchOptions;
  /** How long a snapshot is served again before a new one is made. */
  cacheMs?: number;
  /** How long a failure is answered again before the camera is tried again (a grid must not hammer a dead camera). */
  failureCacheMs?: number;
  /** Cameras kept in the cache at most (oldest dropped first). */
  maxCached?: number;
  now?: () => number;
}

type Cached = { at: number; ok: Snapshot } | { at: number; error: SnapshotError };

export class SnapshotService {
  private readonly cache = new Map<number, Cached>();
  private readonly inflight = new Map<number, Promise<Snapshot>>();
  private readonly cacheMs: number;
  private readonly failureCacheMs: number;
  private readonly maxCached: number;
  private readonly now: () => number;

  constructor(private readonly opts: SnapshotServiceOptions) {
    this.cacheMs = opts.cacheMs ?? 10_000;
    this.failureCacheMs = opts.failureCacheMs ?? 5_000;
    this.maxCached = opts.maxCached ?? 256;
    this.now = opts.now ?? Date.now;
  }

  /** Which path makes snapshots, for the start-up log line and diagnostics. */
  describe(): string {
    return this.opts.grabber
      ? `ffmpeg at ${this.opts.grabber.ffmpegPath} decodes running relays' key frames; the camera's ONVIF snapshot otherwise`
      : 'no ffmpeg on PATH: snapshots come from the cameras\' ONVIF snapshot addresses only';
  }

  get grabber(): FrameGrabber | null {
    return this.opts.grabber;
  }

  snapshot(cameraId: number): Promise<Snapshot> {
    const hit = this.cache.get(cameraId);
    if (hit) {
      const age = this.now() - hit.at;
      if ('ok' in hit && age < this.cacheMs) return Promise.resolve(hit.ok);
      if ('error' in hit && age < this.failureCacheMs) return Promise.reject(hit.error);
    }
    const running = this.inflight.get(cameraId);
    if (running) return running;
    const attempt = this.make(cameraId).then(
      (ok) => {
        this.remember(cameraId, { at: this.now(), ok });
        return ok;
      },
      (err: unknown) => {
        const error = err instanceof SnapshotError ? err : new SnapshotError('protocol error');
        this.remember(cameraId, { at: this.now(), error });
        throw error;
      },
    ).finally(() => this.inflight.delete(cameraId));
    this.inflight.set(cameraId, attempt);
    return attempt;
  }

  /** Forget a camera's cached answer (its address or credentials changed). */
  forget(cameraId: number): void {
    this.cache.delete(cameraId);
  }

  private async make(cameraId: number): Promise<Snapshot> {
    let relayFailure: SnapshotError | undefined;
    const segment = this.opts.grabber ? this.opts.latestSegment(cameraId) : undefined;
    if (segment && this.opts.grabber) {
      try {
        return { jpeg: await this.opts.grabber.grab(segment), source: 'relay', takenAt: this.now() };
      } catch (err) {
        relayFailure = err instanceof SnapshotError ? err : new SnapshotError('decoder failed');
      }
    }
    const target = await this.opts.snapshotSource(cameraId);
    if (target) return { jpeg: await fetchSnapshot(target, this.opts.fetch), source: 'onvif', takenAt: this.now() };
    throw relayFailure ?? new SnapshotError('no source');
  }

  private remember(cameraId: number, entry: Cached): void {
    this.cache.delete(cameraId);
    this.cache.set(cameraId, entry);
    while (this.cache.size > this.maxCached) this.cache.delete(this.cache.keys().next().value!);
  }
}
