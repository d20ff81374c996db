// Owns every live relay: on-demand start at the first playlist request, idle stop, a concurrency cap, and one
// status event stream for the console. Framework-free so the Fastify plugin stays a thin adapter.
//
// Relays run on a pool of worker threads (RelayHost); this class lives on the serving thread and keeps only what
// it serves: per relay the live window (playlist + segment bodies, moved here by transfer), state, stats and
// viewers. Playlist and segment requests are answered from that without a round trip to a worker, so a burst
// of muxing on the workers never delays an HTTP answer or a socket.io push.
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { CameraUnavailableError, RelayLimitError } from './errors';
import type { Publish, SegmentFormat } from './hls/packager';
import type { FromHost, TappedUnit } from './host/protocol';
import { InProcessHost, type RelayHost } from './host/relay-host';
import { WorkerHost } from './host/worker-host';
import type { FlvTag } from './push/flv';
import { LiveWindow, type BlockUntil, type LatestSegment, type ServedFile } from './live-window';
import type { RelayOptions, RelayState, RelayStats } from './relay';
import type { RtspOpener } from './rtsp/session';
import type { RelayId, StreamSource, UnavailableReason, VideoCodec } from './types';

export interface RelayManagerOptions {
  /** The source of one relay (see RelayId: CameraRelays maps it to a camera and stream). */
  resolveSource: (relayId: RelayId) => Promise<StreamSource>;
  /** Stop a relay when nobody asked for its playlist for this long. */
  idleTimeoutMs?: number;
  maxRelays?: number;
  stallTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  segmentFormat?: SegmentFormat;
  /** Segments listed in a playlist, default 4: at least three target durations (RFC 8216 §6.2.2), and the wall's
   * hls.js starts two behind the live edge. The one that left last is still served (LiveWindow). */
  windowSize?: number;
  minTargetDuration?: number;
  /** LL-HLS parts after each session's first GOP (MPEG-TS; default off, see server/media/README.md): hls/packager.ts. */
  parts?: boolean;
  /** Set up G.711 audio and carry it as FLAC (default on); off only for `bench:relay -- --g711` to compare. */
  g711?: boolean;
  requestTimeoutMs?: number;
  audioTimeoutMs?: number;
  /** Longest a first playlist request waits for the camera before CameraUnavailableError('timeout'). */
  startTimeoutMs?: number;
  /** Worker threads for relays; 0 runs them on the calling thread. Default: os.availableParallelism() - 1, min 1. */
  workers?: number;
  /** Replaceable RTSP layer (tests inject fakes; another client can be dropped in). Forces in-thread relays. */
  openRtsp?: RtspOpener;
  /** Every Publish of a relay, on this thread after the live window took it (the segment store listens here). */
  onPublish?: (relayId: RelayId, publish: Publish) => void;
  /** A relay ended on this thread (idle, stopped, given up): the store closes its file. */
  onRelayEnd?: (relayId: RelayId) => void;
  /** A relay was just started on a host (first start, restart after a crash or a source change): a pushed
   * camera's ingest replays its configs and current GOP into it through feed(). */
  onRelayStart?: (relayId: RelayId) => void;
}

export interface RelayStatusEvent {
  relayId: RelayId;
  status: 'online' | 'offline';
  reason: UnavailableReason | null;
  /** What the relay plays when it goes online (from the SPS); null when offline. */
  codec: VideoCodec | null;
  width: number | null;
  height: number | null;
}

const NO_VIDEO = { codec: null, width: null, height: null } as const;

export interface RelayManagerEvents {
  status: [RelayStatusEvent];
  /** Every Publish, after the live window and `onPublish` took it (the H.264 transcodes listen here). */
  publish: [RelayId, Publish];
}

export interface RelayHostInfo {
  index: number;
  /** Worker thread id; 0 for relays on the calling thread; null while the worker is not running. */
  threadId: number | null;
  relays: RelayId[];
}

interface Waiter {
  resolve: (p: string) => void;
  reject: (e: Error) => void;
  /** A blocking reload: resolved once the window holds this (see LiveWindow.holds). */
  until?: BlockUntil;
}

/** A blocking playlist reload is answered with what there is after this long (RFC 8216bis: three target durations
 * of a 1–2 s target; a camera that stalls longer goes 'reconnecting' and is answered then). */
const BLOCK_MAX_MS = 6_000;

/** A consumer of a relay's access units on this thread (a WebRTC session). */
export interface VideoTap {
  onUnit(codec: VideoCodec, unit: TappedUnit): void;
  /** The relay stopped (camera deleted, gateway closing, worker given up): no more units will come. */
  onEnd(): void;
}

/** Main-thread record of one relay. */
interface Live {
  relayId: RelayId;
  run: number;
  host: RelayHost | null;
  window: LiveWindow;
  state: RelayState;
  reason: UnavailableReason | null;
  stats: RelayStats | null;
  onlineAt: number | null;
  lastRequestAt: number;
  /** When a viewer's request last asked the host to retry now (throttled: one message per RETRY_HINT_MS). */
  retryHintAt: number;
  viewers: Map<string, number>;
  waiters: Set<Waiter>;
  /** The source the current run was started with, and when it was last compared with the catalogue. */
  source: StreamSource | null;
  sourceCheckedAt: number;
  /** Access-unit consumers: while any exists the host sends units, and the relay is not idle-stopped. */
  taps: Set<VideoTap>;
}

/** A worker that dies this often within CRASH_WINDOW_MS is not trusted with its relays again right away. */
const MAX_CRASHES = 3;
const CRASH_WINDOW_MS = 60_000;
const RETRY_HINT_MS = 250;
/** A relay refused by its camera looks up its source again at most this often (credentials or URL edited). */
const SOURCE_RECHECK_MS = 10_000;
/** Reasons that a changed catalogue entry (new password, new URL) can cure. */
const SOURCE_REASONS: ReadonlySet<UnavailableReason> = new Set(['unauthorized', 'not found']);

export class RelayManager extends EventEmitter<RelayManagerEvents> {
  private readonly lives = new Map<RelayId, Live>();
  private readonly relayOpts: RelayOptions;
  private readonly idleTimeoutMs: number;
  private readonly maxRelays: number;
  private readonly startTimeoutMs: number;
  private readonly idleTimer: NodeJS.Timeout;
  private readonly hosts: RelayHost[];
  private readonly crashes = new Map<RelayHost, number[]>();
  private runs = 0;
  private closed = false;
  /** Relays that run without viewers (server recording): never idle-stopped, restarted when they end. */
  private readonly pinned = new Set<RelayId>();

  constructor(private readonly opts: RelayManagerOptions) {
    super();
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.maxRelays = opts.maxRelays ?? 200;
    this.startTimeoutMs = opts.startTimeoutMs ?? 15_000;
    this.relayOpts = {
      segmentFormat: opts.segmentFormat ?? 'mpegts',
      windowSize: opts.windowSize ?? 4,
      minTargetDuration: opts.minTargetDuration ?? 1,
      parts: opts.parts ?? false,
      g711: opts.g711 ?? true,
      stallTimeoutMs: opts.stallTimeoutMs ?? 10_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
      audioTimeoutMs: opts.audioTimeoutMs ?? 3_000,
      backoff: opts.backoff ?? { initialMs: 1_000, maxMs: 30_000 },
    };
    // One core stays with the serving thread; measured on 2 cores at 100 cameras, one relay worker used less CPU
    // and ~60 MB less memory than two (each worker is a V8 isolate with its own heap) at ~0.3-0.4 % of a core per
    // camera, so one worker carries well over 100 cameras.
    const workers = opts.openRtsp ? 0 : Math.max(0, Math.floor(opts.workers ?? Math.max(1, availableParallelism() - 1)));
    this.hosts = workers === 0
      ? [new InProcessHost(opts.openRtsp)]
      : Array.from({ length: workers }, () => new WorkerHost());
    for (const host of this.hosts) {
      host.on('message', (msg) => this.onMessage(host, msg));
      host.on('crash', (relays) => this.onCrash(host, relays));
    }
    const sweep = Math.max(20, Math.min(1_000, this.idleTimeoutMs / 4));
    this.idleTimer = setInterval(() => this.sweepIdle(), sweep);
    this.idleTimer.unref();
  }

  /** Start the worker threads now rather than with the first relay (saves the first viewer their start-up). */
  async warmUp(): Promise<void> {
    await Promise.all(this.hosts.map((h) => (h instanceof WorkerHost ? h.warmUp() : undefined)));
  }

  /** Playlist of a relay, starting it if needed. `viewerKey` (e.g. session id) counts distinct viewers. */
  async playlist(relayId: RelayId, viewerKey?: string, until?: BlockUntil): Promise<string> {
    if (this.closed) throw new CameraUnavailableError(relayId, 'closed');
    const live = this.ensure(relayId);
    live.lastRequestAt = Date.now();
    if (viewerKey) live.viewers.set(viewerKey, live.lastRequestAt);
    // Viewers of a camera that dropped keep polling its last playlist: each poll may bring the reconnect forward.
    if (live.state === 'reconnecting' && live.host && live.lastRequestAt - live.retryHintAt >= RETRY_HINT_MS) {
      live.retryHintAt = live.lastRequestAt;
      live.host.send({ type: 'retry', relayId });
    }
    const ready = live.window.playlist;
    if (ready) {
      // A blocking reload (LL-HLS `_HLS_msn`/`_HLS_part`) waits for the segment or part asked for, while the relay
      // is online; anything else gets the playlist as it is.
      if (!until || live.state !== 'online' || live.window.holds(until) || live.window.tooFarAhead(until)) return ready;
      const blocked = live;
      return new Promise<string>((resolve) => {
        const waiter: Waiter = {
          until,
          resolve: (p) => { clearTimeout(timer); resolve(p); },
          // A relay that drops while a reload waits: the viewer gets the last playlist, as any poll would.
          reject: () => { clearTimeout(timer); resolve(blocked.window.playlist ?? ready); },
        };
        const timer = setTimeout(() => {
          blocked.waiters.delete(waiter);
          resolve(blocked.window.playlist ?? ready);
        }, BLOCK_MAX_MS);
        blocked.waiters.add(waiter);
      });
    }
    if (live.state === 'stopped') throw new CameraUnavailableError(relayId, live.reason ?? 'closed');
    // While retrying after a failure, answer with the reason now rather than holding the request for a backoff.
    if (live.state === 'reconnecting' && live.reason) throw new CameraUnavailableError(relayId, live.reason);
    const waiting = live;
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (p) => { clearTimeout(timer); resolve(p); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      const timer = setTimeout(() => {
        waiting.waiters.delete(waiter);
        reject(new CameraUnavailableError(relayId, waiting.reason ?? 'timeout'));
      }, this.startTimeoutMs);
      waiting.waiters.add(waiter);
    });
  }

  /** The relay of `relayId`, started if it is not running (counted against the cap). */
  private ensure(relayId: RelayId): Live {
    let live = this.lives.get(relayId);
    if (!live) {
      if (this.lives.size >= this.maxRelays) throw new RelayLimitError(this.maxRelays);
      live = {
        relayId, run: 0, host: null, window: new LiveWindow(), state: 'starting', reason: null, stats: null,
        onlineAt: null, lastRequestAt: Date.now(), retryHintAt: 0, viewers: new Map(), waiters: new Set(),
        source: null, sourceCheckedAt: 0, taps: new Set(),
      };
      this.lives.set(relayId, live);
      void this.launch(live);
    }
    return live;
  }

  /** Keep a relay running without viewers (server recording), or let it go idle again. Throws RelayLimitError at
   * the cap: a recorded camera takes a relay like a watched one. */
  pin(relayId: RelayId, on: boolean): void {
    if (!on) { this.pinned.delete(relayId); return; }
    this.pinned.add(relayId);
    if (!this.closed) this.ensure(relayId).lastRequestAt = Date.now();
  }

  /**
   * Receive the relay's access units on this thread until the returned function is called; starts the relay if
   * needed (RelayLimitError at the cap). The host sends units only while at least one tap exists.
   */
  subscribe(relayId: RelayId, tap: VideoTap): () => void {
    if (this.closed) throw new CameraUnavailableError(relayId, 'closed');
    const live = this.ensure(relayId);
    live.lastRequestAt = Date.now();
    live.taps.add(tap);
    if (live.taps.size === 1) live.host?.send({ type: 'tap', relayId, on: true });
    return () => {
      if (!live.taps.delete(tap)) return;
      live.lastRequestAt = Date.now();
      if (live.taps.size === 0 && this.lives.get(relayId) === live) live.host?.send({ type: 'tap', relayId, on: false });
    };
  }

  isPinned(relayId: RelayId): boolean { return this.pinned.has(relayId); }

  /** Pinned relays that are not running (failed to start, gave up): start them again. Called by the recorder. */
  restartPinned(): RelayId[] {
    const started: RelayId[] = [];
    for (const id of this.pinned) {
      if (this.lives.has(id) || this.closed) continue;
      try { this.ensure(id); started.push(id); } catch { /* at the cap: next round */ }
    }
    return started;
  }

  /** A segment (or CMAF init) by its relative name; undefined when unknown or already out of the live window. */
  segment(relayId: RelayId, name: string): ServedFile | undefined {
    return this.lives.get(relayId)?.window.file(name);
  }

  /** The newest segment of a relay that is already running, for a snapshot. Never starts a relay and does not
   * count as a request: a thumbnail grid must not keep 74 relays alive. Only while online: a reconnecting relay
   * still holds its last window, which may be minutes old by then. */
  latestSegment(relayId: RelayId): LatestSegment | undefined {
    const live = this.lives.get(relayId);
    return live?.state === 'online' ? live.window.latest() : undefined;
  }

  /** See LiveWindow.latestRun: what a late consumer starts from. Never starts a relay. */
  latestRun(relayId: RelayId): LatestSegment[] {
    const live = this.lives.get(relayId);
    return live?.state === 'online' ? live.window.latestRun() : [];
  }

  /** The video codec a running relay plays (from its SPS), null before it is known or when not running. */
  codecOf(relayId: RelayId): VideoCodec | null {
    return this.lives.get(relayId)?.stats?.codec ?? null;
  }

  list(): RelayStats[] {
    const now = Date.now();
    return [...this.lives.values()].map((l) => this.statsOf(l, now));
  }

  /** Where relays run, for diagnostics. */
  hostInfo(): RelayHostInfo[] {
    return this.hosts.map((h, index) => ({ index, threadId: h.threadId, relays: [...h.relays] }));
  }

  /** End one worker thread now; its relays restart on a fresh one and keep their playlists going. Recycles a
   * misbehaving worker (and lets tests prove recovery). No-op for in-thread relays. */
  async recycleWorker(index: number): Promise<void> {
    const host = this.hosts[index];
    if (host instanceof WorkerHost) await host.terminate();
  }

  /** Stop one relay now (camera deleted or its URL changed). */
  stop(relayId: RelayId): void {
    const live = this.lives.get(relayId);
    if (!live) return;
    this.lives.delete(relayId);
    live.host?.send({ type: 'stop', relayId });
    live.state = 'stopped';
    live.window.clear();
    this.rejectWaiters(live, 'closed');
    this.endTaps(live);
    this.opts.onRelayEnd?.(relayId);
    // No status event: a relay stopped because nobody watches (or the gateway closing) says nothing about the
    // camera, which stays as last seen; only failures to reach it mark it offline.
  }

  get size(): number { return this.lives.size; }

  close(): void {
    this.closed = true;
    clearInterval(this.idleTimer);
    for (const id of [...this.lives.keys()]) this.stop(id);
    for (const host of this.hosts) void host.close();
  }

  /** Resolve the source here (database access stays on this thread) and start the relay on the least-loaded host. */
  private async launch(live: Live, known?: StreamSource): Promise<void> {
    const run = ++this.runs;
    live.run = run;
    let source: StreamSource;
    try {
      source = known ?? await this.opts.resolveSource(live.relayId);
    } catch (err) {
      if (this.lives.get(live.relayId) !== live || live.run !== run) return;
      const reason = err instanceof CameraUnavailableError ? err.reason : 'protocol error';
      // Nothing is running: forget the relay so the next request tries again, and tell waiting viewers why.
      this.lives.delete(live.relayId);
      this.opts.onRelayEnd?.(live.relayId);
      live.state = 'stopped';
      live.reason = reason;
      this.rejectWaiters(live, reason);
      this.endTaps(live);
      this.emit('status', { relayId: live.relayId, status: 'offline', reason, ...NO_VIDEO });
      return;
    }
    if (this.lives.get(live.relayId) !== live || live.run !== run || this.closed) return;
    const host = this.hosts.reduce((a, b) => (b.relays.size < a.relays.size ? b : a));
    live.host = host;
    live.source = source;
    live.sourceCheckedAt = 0; // the first refusal of this run looks again at once: someone may just have fixed it
    host.send({ type: 'start', relayId: live.relayId, run, source, opts: this.relayOpts, resume: live.window.resume });
    this.opts.onRelayStart?.(live.relayId);
    if (live.taps.size > 0) host.send({ type: 'tap', relayId: live.relayId, on: true });
  }

  private endTaps(live: Live): void {
    const taps = [...live.taps];
    live.taps.clear();
    for (const t of taps) {
      try { t.onEnd(); } catch { /* one consumer failing must not keep the others */ }
    }
  }

  /** Whether a relay is running on a host now (a pushed camera's ingest forwards its tags only then). */
  isRunning(relayId: RelayId): boolean {
    return !!this.lives.get(relayId)?.host;
  }

  /** Pushed cameras' FLV tags, one message per host running their relays (none running: dropped, nobody watches). */
  feed(feeds: { relayId: RelayId; tags: FlvTag[] }[], movable?: ReadonlySet<ArrayBufferLike>): void {
    const byHost = new Map<RelayHost, { relayId: RelayId; tags: FlvTag[] }[]>();
    for (const f of feeds) {
      const host = this.lives.get(f.relayId)?.host;
      if (!host) continue;
      let list = byHost.get(host);
      if (!list) byHost.set(host, list = []);
      list.push(f);
    }
    for (const [host, list] of byHost) {
      // Tags the feeder no longer needs are moved to the host of their relay rather than copied.
      const transfer: ArrayBuffer[] = [];
      if (movable) for (const f of list) for (const t of f.tags) if (movable.has(t.data.buffer)) transfer.push(t.data.buffer as ArrayBuffer);
      host.send({ type: 'feed', feeds: list }, transfer);
    }
  }

  /** A pushed camera's publisher is gone: its relay's session ends with `reason` (the relay reports offline). */
  feedEnd(relayId: RelayId, reason: UnavailableReason): void {
    this.lives.get(relayId)?.host?.send({ type: 'feed-end', relayId, reason });
  }

  private onMessage(host: RelayHost, msg: FromHost): void {
    if (msg.type === 'ready' || msg.type === 'batch') return; // batches are unpacked by WorkerHost
    if (msg.type === 'stats') {
      for (const { run, stats } of msg.stats) {
        const live = this.lives.get(stats.relayId);
        if (live && live.run === run && live.host === host) live.stats = stats;
      }
      return;
    }
    const live = this.lives.get(msg.relayId);
    // Late messages from a stopped or replaced run (possibly carrying transferred segments) are dropped here.
    if (!live || live.run !== msg.run || live.host !== host) return;
    switch (msg.type) {
      case 'publish': {
        live.window.apply(msg.publish);
        this.opts.onPublish?.(live.relayId, msg.publish);
        if (this.listenerCount('publish') > 0) this.emit('publish', live.relayId, msg.publish);
        const playlist = msg.publish.playlist;
        for (const w of live.waiters) {
          if (w.until && !live.window.holds(w.until) && !msg.publish.first) continue;
          w.resolve(playlist);
          live.waiters.delete(w);
        }
        return;
      }
      case 'video':
        for (const t of live.taps) for (const u of msg.units) t.onUnit(msg.codec, u);
        return;
      case 'state':
        live.stats = msg.stats;
        live.state = msg.state;
        live.reason = msg.reason;
        if (msg.state === 'online') live.onlineAt ??= Date.now();
        if (msg.state === 'reconnecting') {
          live.onlineAt = null;
          this.rejectWaiters(live, msg.reason ?? 'closed');
          if (msg.reason && SOURCE_REASONS.has(msg.reason)) void this.recheckSource(live);
        }
        if (msg.state === 'stopped') {
          // The host gave up on this relay (it threw while starting); report it and let a later request retry.
          this.lives.delete(live.relayId);
          this.opts.onRelayEnd?.(live.relayId);
          this.rejectWaiters(live, msg.reason ?? 'protocol error');
          this.endTaps(live);
          this.emit('status', { relayId: live.relayId, status: 'offline', reason: msg.reason ?? 'protocol error', ...NO_VIDEO });
        }
        return;
      case 'status': {
        live.stats = msg.stats;
        const { codec, width, height } = msg.status === 'online' ? msg.stats : NO_VIDEO;
        this.emit('status', { relayId: msg.relayId, status: msg.status, reason: msg.reason, codec, width, height });
        return;
      }
    }
  }

  /** A relay holds the source it was started with. When the camera refuses it, the catalogue may have changed
   * since (an operator fixed the password, an import brought a new URL): look again, and if it differs restart
   * the relay with it, continuing its playlist as after a worker crash. */
  private async recheckSource(live: Live): Promise<void> {
    const now = Date.now();
    if (now - live.sourceCheckedAt < SOURCE_RECHECK_MS) return;
    live.sourceCheckedAt = now;
    const run = live.run;
    const fresh = await this.opts.resolveSource(live.relayId).catch(() => null);
    if (!fresh || this.lives.get(live.relayId) !== live || live.run !== run || this.closed) return;
    if (sameSource(fresh, live.source)) return;
    live.host?.send({ type: 'stop', relayId: live.relayId });
    live.host = null;
    void this.launch(live, fresh);
  }

  /** A worker died: its relays are restarted on the pool (continuing their playlists), unless that worker keeps
   * dying, in which case its relays' cameras are reported offline and left for the next viewer to start again. */
  private onCrash(host: RelayHost, relays: RelayId[]): void {
    if (this.closed) return;
    const now = Date.now();
    const recent = (this.crashes.get(host) ?? []).filter((t) => now - t < CRASH_WINDOW_MS);
    recent.push(now);
    this.crashes.set(host, recent);
    const giveUp = recent.length > MAX_CRASHES;
    for (const id of relays) {
      const live = this.lives.get(id);
      if (!live || live.host !== host) continue;
      live.host = null;
      if (giveUp) {
        this.lives.delete(id);
        this.opts.onRelayEnd?.(id);
        const wasOnline = live.state === 'online';
        live.state = 'stopped';
        this.rejectWaiters(live, 'protocol error');
        this.endTaps(live);
        if (wasOnline) this.emit('status', { relayId: id, status: 'offline', reason: 'protocol error', ...NO_VIDEO });
        continue;
      }
      void this.launch(live);
    }
  }

  private statsOf(live: Live, now: number): RelayStats {
    const viewerWindow = Math.max(10_000, 3 * (live.stats?.targetDuration ?? 2) * 1000);
    for (const [k, at] of live.viewers) if (now - at > viewerWindow) live.viewers.delete(k);
    const base: RelayStats = live.stats ?? {
      relayId: live.relayId, state: live.state, reason: live.reason, codec: null, codecString: null, width: null, height: null,
      fps: null, bitrate: 0, audio: null, viewers: 0, uptimeSec: 0, lastKeyframeAt: null, reconnects: 0, segments: 0,
      bytesHeld: 0, targetDuration: null, reorderDelayMs: 0,
    };
    return {
      ...base,
      state: live.state,
      reason: live.reason,
      viewers: live.viewers.size,
      uptimeSec: live.onlineAt ? Math.floor((now - live.onlineAt) / 1000) : 0,
      bytesHeld: live.window.bytesHeld,
    };
  }

  private rejectWaiters(live: Live, reason: UnavailableReason): void {
    for (const w of live.waiters) w.reject(new CameraUnavailableError(live.relayId, reason));
    live.waiters.clear();
  }

  private sweepIdle(): void {
    const now = Date.now();
    for (const [id, live] of this.lives) {
      // A viewer still waiting for the first playlist is not idle, however long the camera takes.
      if (now - live.lastRequestAt > this.idleTimeoutMs && live.waiters.size === 0 && live.taps.size === 0 && !this.pinned.has(id)) this.stop(id);
    }
  }
}

function sameSource(a: StreamSource, b: StreamSource | null): boolean {
  return !!b && a.url === b.url && a.username === b.username && a.password === b.password && a.playRange === b.playRange && a.scale === b.scale;
}
