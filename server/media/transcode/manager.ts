// H.265 → H.264 for viewers whose browser cannot decode HEVC (Debian's Chromium, most office PCs without a
// hardware decoder): one Transcoder per relay, shared by every such viewer, started by the first playlist request
// and stopped when none has asked for IDLE. It reads the relay's own published segments, so the camera is pulled
// once however many outputs it feeds (the relay itself is kept alive by the same requests, see routes/live).
// A cap bounds the CPU (each 720p transcode takes a sizeable part of a core): beyond it, TranscodeLimitError.
import { join } from 'node:path';
import type { Publish } from '../hls/packager';
import type { RelayManager } from '../relay-manager';
import type { RelayId } from '../types';
import { Transcoder } from './transcoder';

/** Too many transcodes at once: the HTTP layer answers 503 naming the cap. */
export class TranscodeLimitError extends Error {
  readonly code = 'TRANSCODE_LIMIT';
  constructor(readonly limit: number) {
    super(`transcode limit reached (${limit} at once)`);
    this.name = 'TranscodeLimitError';
  }
}

/** No transcode can be offered: `reason` is safe to show ('turned off', 'ffmpeg not found', 'transcoder failed', 'timeout'). */
export class TranscodeUnavailableError extends Error {
  readonly code = 'TRANSCODE_UNAVAILABLE';
  constructor(readonly reason: string) {
    super(`transcode unavailable: ${reason}`);
    this.name = 'TranscodeUnavailableError';
  }
}

export interface TranscodeManagerOptions {
  /** ffmpeg's path (see findFfmpeg), null when it is not on this machine. */
  ffmpeg: string | null;
  /** Scratch directory for the HLS output (one subdirectory per transcode, removed when it stops). */
  dir: string;
  maxTranscodes: number;
  idleTimeoutMs?: number;
  /** Longest a first playlist request waits for the first transcoded segment. */
  startTimeoutMs?: number;
  maxHeight?: number;
  threads?: number;
}

interface Running {
  relayId: RelayId;
  transcoder: Transcoder;
  viewers: Map<string, number>;
  lastRequestAt: number;
  failed: boolean;
}

export interface TranscodeStats {
  relayId: RelayId;
  viewers: number;
  uptimeSec: number;
  pid: number | null;
  bytesIn: number;
}

const isSegmentLine = (l: string) => l.length > 0 && !l.startsWith('#');

export class TranscodeManager {
  private readonly running = new Map<RelayId, Running>();
  private readonly timer: NodeJS.Timeout;
  private runs = 0;
  private readonly idleTimeoutMs: number;
  private readonly onPublish = (relayId: RelayId, p: Publish) => this.feed(relayId, p);

  constructor(private readonly relays: RelayManager, private readonly opts: TranscodeManagerOptions) {
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    relays.on('publish', this.onPublish);
    this.timer = setInterval(() => this.sweep(), Math.min(1000, this.idleTimeoutMs / 2));
    this.timer.unref();
  }

  get available(): boolean { return this.opts.ffmpeg !== null; }
  get limit(): number { return this.opts.maxTranscodes; }
  get size(): number { return this.running.size; }

  /** The transcoded playlist of `relayId` (starting the transcode if needed); the relay must be running. */
  async playlist(relayId: RelayId, viewerKey: string): Promise<string> {
    if (this.opts.maxTranscodes === 0) throw new TranscodeUnavailableError('turned off');
    if (!this.opts.ffmpeg) throw new TranscodeUnavailableError('ffmpeg not found');
    let r = this.running.get(relayId);
    if (r?.failed) { void this.stop(relayId); r = undefined; }
    if (!r) r = this.start(relayId, this.opts.ffmpeg);
    const now = Date.now();
    r.lastRequestAt = now;
    r.viewers.set(viewerKey, now);
    const deadline = now + (this.opts.startTimeoutMs ?? 15_000);
    for (;;) {
      const text = await r.transcoder.playlist();
      if (text && text.split('\n').some(isSegmentLine)) return text;
      if (r.failed) throw new TranscodeUnavailableError('transcoder failed');
      if (Date.now() > deadline) throw new TranscodeUnavailableError('timeout');
      await new Promise((res) => setTimeout(res, 100));
    }
  }

  segment(relayId: RelayId, name: string): Promise<Buffer | undefined> {
    return this.running.get(relayId)?.transcoder.segment(name) ?? Promise.resolve(undefined);
  }

  list(): TranscodeStats[] {
    const now = Date.now();
    return [...this.running.values()].map((r) => ({
      relayId: r.relayId,
      viewers: [...r.viewers.values()].filter((t) => now - t < this.idleTimeoutMs).length,
      uptimeSec: Math.floor((now - r.transcoder.startedAt) / 1000),
      pid: r.transcoder.pid ?? null,
      bytesIn: r.transcoder.bytesIn,
    }));
  }

  async stop(relayId: RelayId): Promise<void> {
    const r = this.running.get(relayId);
    if (!r) return;
    this.running.delete(relayId);
    await r.transcoder.stop();
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    this.relays.off('publish', this.onPublish);
    await Promise.all([...this.running.keys()].map((id) => this.stop(id)));
  }

  private start(relayId: RelayId, ffmpeg: string): Running {
    if (this.running.size >= this.opts.maxTranscodes) throw new TranscodeLimitError(this.opts.maxTranscodes);
    const run = ++this.runs;
    const r: Running = {
      relayId, viewers: new Map(), lastRequestAt: Date.now(), failed: false,
      transcoder: new Transcoder({
        ffmpeg, dir: join(this.opts.dir, `r${relayId}-${run}`), run, maxHeight: this.opts.maxHeight ?? 720, threads: this.opts.threads ?? 1,
        onExit: () => { r.failed = true; },
      }),
    };
    this.running.set(relayId, r);
    // Start from the newest key frame the relay holds, then every segment it publishes.
    const seed = this.relays.latestRun(relayId);
    for (const s of seed) r.transcoder.feed(s.body, s.init);
    return r;
  }

  private feed(relayId: RelayId, p: Publish): void {
    const r = this.running.get(relayId);
    if (!r || r.failed) return;
    let init: Uint8Array | undefined;
    for (const f of p.added) {
      if (f.duration === undefined) { init = f.body; continue; }
      // A CMAF segment needs its init, which came in an earlier publish: ask the window.
      if (!init && f.name.endsWith('.m4s') && !r.transcoder.started) init = this.relays.latestRun(relayId).find((s) => s.name === f.name)?.init;
      r.transcoder.feed(f.body, init);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const r of this.running.values()) {
      for (const [k, t] of r.viewers) if (now - t > this.idleTimeoutMs) r.viewers.delete(k);
      if (now - r.lastRequestAt > this.idleTimeoutMs) void this.stop(r.relayId);
    }
  }
}
