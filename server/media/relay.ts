// One camera's relay: RTSP session → access units → live HLS packager, with reconnect, stall detection and stats.
// Pure: no HTTP, no process-wide state. It runs wherever its host puts it (a worker thread, or the main thread);
// it serves nothing itself: finished segments leave as 'publish' events and state changes as 'state' events.
import { EventEmitter } from 'node:events';
import { CameraUnavailableError, RtspError } from './errors';
import { describeVideo, sameBytes, type ParamSets, type VideoFormat } from './h264/params';
import { LivePackager, PART_TARGET_SEC, type EpochSpec, type Publish, type ResumePoint, type SegmentFormat } from './hls/packager';
import type { RtspOpener, RtspSession, SourceVideoUnit } from './rtsp/session';
import type { AudioFrame, RelayId, StreamSource, UnavailableReason, VideoCodec } from './types';

export type RelayState = 'starting' | 'online' | 'reconnecting' | 'stopped';

export interface RelayOptions {
  segmentFormat: SegmentFormat;
  /** Segments kept in the live playlist (and in memory). */
  windowSize: number;
  /** Lower bound for the HLS target duration; raised to the measured GOP (pitfall 8). */
  minTargetDuration: number;
  /** No RTP for this long while playing → the camera is considered stalled and the session is restarted. */
  stallTimeoutMs: number;
  /** Per RTSP request / TCP connect. */
  requestTimeoutMs: number;
  /** An announced audio track that delivers nothing for this long is dropped (pitfall 6). */
  audioTimeoutMs: number;
  backoff: { initialMs: number; maxMs: number };
  /** LL-HLS parts after a session's first GOP (MPEG-TS; off by default: see server/media/README.md "Smooth from
   * the first frame" for why), see hls/packager.ts. */
  parts?: boolean;
  /** G.711 audio set up and carried as FLAC (default); false drops it as before (to measure what it costs). */
  g711?: boolean;
}

export interface RelayStats {
  relayId: RelayId;
  state: RelayState;
  reason: UnavailableReason | null;
  codec: VideoCodec | null;
  codecString: string | null;
  /** Picture size from the SPS of the current epoch. */
  width: number | null;
  height: number | null;
  fps: number | null;
  /** Incoming RTSP bitrate, bits/s, over the last sampling interval. */
  bitrate: number;
  audio: string | null;
  viewers: number;
  uptimeSec: number;
  lastKeyframeAt: number | null;
  reconnects: number;
  segments: number;
  bytesHeld: number;
  targetDuration: number | null;
  reorderDelayMs: number;
}

export interface RelayEvents {
  /** Online/offline transitions as the console reports them. */
  status: [{ relayId: RelayId; status: 'online' | 'offline'; reason: UnavailableReason | null }];
  /** Every state or reason change (the serving side rejects waiting viewers on 'reconnecting'). */
  state: [{ state: RelayState; reason: UnavailableReason | null }];
  publish: [Publish];
  /** Every access unit as it arrives, only while `tap` is on (a low-latency viewer exists). */
  video: [VideoCodec, SourceVideoUnit];
}

/** The first GOP of a session, muxed as it arrives while its length and frame rate are measured. */
interface Probe {
  firstKeyPts: number;
  frames: number;
  /** Where the last segment of the first GOP began, and the latest presentation time so far (quick start). */
  lastCutPts: number;
  maxPts: number;
  /** Kept only while the epoch waits for its announced audio: replayed into a video-only epoch if none comes. */
  units: SourceVideoUnit[] | null;
}

const MAX_PROBE_UNITS = 600; // a 20 s GOP at 30 fps; longer GOPs start with what was seen so far
/** Quick start: while a session's first GOP is open, a segment is cut every this many seconds, so the first
 * playlist waits this long instead of a whole GOP (a wall of 100 cameras with 1 s GOPs: ~0.8 s instead of ~1.35 s
 * at p50, `npm run bench:relay`). The pieces arrive as fast as a player plays them, so it never waits between them. */
export const QUICK_START_CUT_SEC = 0.5;
const MAX_BACKLOG = 3000;
/** A watched relay tries again at most this often (see retryNow): a flapping camera is back on the wall within
 * about this plus one GOP of its return, instead of waiting out an exponential backoff grown while it was away. */
export const WATCHED_RETRY_MS = 500;

export class Relay extends EventEmitter<RelayEvents> {
  state: RelayState = 'starting';
  /** Emit 'video' for every access unit (see RelayEvents); off costs one boolean test per picture. */
  tap = false;
  reason: UnavailableReason | null = null;
  reconnects = 0;
  private session: RtspSession | null = null;
  private readonly packager: LivePackager;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastAttemptAt = 0;
  private tick: NodeJS.Timeout | null = null;
  private lastDataAt = 0;
  private lastBytes = 0;
  private lastTickAt = 0;
  private bitrate = 0;
  private onlineAt: number | null = null;
  private lastKeyframeAt: number | null = null;
  private format: VideoFormat | null = null;
  private params: ParamSets | null = null;
  private fps = 0;
  private gop = 0;
  private spec: EpochSpec | null = null;
  private probe: Probe | null = null;
  private needEpoch = false;
  private lastAudioAt = 0;
  private audioDropped = false;
  private lastKeyPts: number | null = null;
  private generation = 0;
  /** LL-HLS parts: pictures per part (0: no parts), pictures in the current one, the latest presentation time. */
  private partFrames = 0;
  private framesInPart = 0;
  /** Pictures since the last key frame, and in a GOP as measured: no part is cut too short to be worth a file at a
   * GOP's end (its pictures go to the part before). */
  private sinceKey = 0;
  private gopFrames = 0;
  private maxPts = -Infinity;

  constructor(
    readonly relayId: RelayId,
    private readonly resolveSource: (relayId: RelayId) => Promise<StreamSource>,
    private readonly open: RtspOpener,
    private readonly opts: RelayOptions,
    resume?: ResumePoint,
  ) {
    super();
    this.packager = new LivePackager({
      segmentFormat: opts.segmentFormat,
      windowSize: opts.windowSize,
      resume,
      parts: opts.parts === true,
      onError: () => { this.needEpoch = true; },
      onPublish: (p) => {
        if (this.state === 'stopped') return;
        this.emit('publish', p);
        this.maybeReady();
      },
    });
  }

  start(): void {
    void this.connect();
    const interval = Math.min(1000, Math.max(50, this.opts.stallTimeoutMs / 4));
    this.tick = setInterval(() => this.onTick(), interval);
    this.tick.unref();
  }

  /** `viewers` is 0 here: viewers are counted where playlists are served. */
  stats(now = Date.now()): RelayStats {
    return {
      relayId: this.relayId,
      state: this.state,
      reason: this.reason,
      codec: this.format?.codec ?? null,
      codecString: this.format?.codecString ?? null,
      width: this.format?.width ?? null,
      height: this.format?.height ?? null,
      fps: this.fps ? Math.round(this.fps * 100) / 100 : null,
      bitrate: Math.round(this.bitrate),
      audio: this.spec?.audio ? ('law' in this.spec.audio ? `${this.spec.audio.law} → flac` : this.spec.audio.codecString) : this.session?.ignoredAudio ? `${this.session.ignoredAudio} (dropped)` : null,
      viewers: 0,
      uptimeSec: this.onlineAt ? Math.floor((now - this.onlineAt) / 1000) : 0,
      lastKeyframeAt: this.lastKeyframeAt,
      reconnects: this.reconnects,
      segments: this.packager.segmentCount,
      bytesHeld: this.packager.bytesHeld,
      targetDuration: this.spec?.targetDuration ?? null,
      reorderDelayMs: Math.round(this.packager.reorderDelay * 1000),
    };
  }

  stop(): void {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.tick) clearInterval(this.tick);
    this.session?.close();
    this.session = null;
    this.packager.close();
    this.probe = null;
    // No 'offline' status: stopping for lack of viewers says nothing about the camera itself.
    this.emit('state', { state: 'stopped', reason: this.reason });
  }

  /**
   * Someone is watching this camera: while waiting out a backoff, try now if the last attempt is at least
   * WATCHED_RETRY_MS old. Nothing happens while an attempt is in flight (no timer then), so a camera that times out
   * is never tried twice at once. The backoff itself keeps growing for the time nobody asks.
   */
  retryNow(): void {
    if (this.state !== 'reconnecting' || !this.retryTimer) return;
    if (Date.now() - this.lastAttemptAt < WATCHED_RETRY_MS) return;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.reconnects++;
    void this.connect();
  }

  private async connect(): Promise<void> {
    const gen = ++this.generation;
    this.lastAttemptAt = Date.now();
    let session: RtspSession;
    try {
      const source = await this.resolveSource(this.relayId);
      if (gen !== this.generation) return;
      this.resetSessionState();
      session = await this.open(source, {
        onVideo: (u) => { if (gen === this.generation) this.onVideo(u); },
        onAudio: (f) => { if (gen === this.generation) this.onAudio(f); },
        onClose: (reason) => { if (gen === this.generation) this.onDrop(reason); },
        onPlay: (s) => { if (gen === this.generation) this.session = s; },
      }, { timeoutMs: this.opts.requestTimeoutMs, accessUnitDelimiter: this.opts.segmentFormat === 'mpegts', g711: this.opts.g711 !== false });
    } catch (err) {
      if (gen !== this.generation) return;
      this.onDrop(err instanceof RtspError ? err.reason : err instanceof CameraUnavailableError ? err.reason : 'protocol error');
      return;
    }
    if (gen !== this.generation) { session.close(); return; }
    this.session = session;
    this.lastDataAt = Date.now();
    this.lastBytes = 0;
    this.lastTickAt = Date.now();
  }

  /** Per-session state is reset before the session opens: the opener already delivers the first access units
   * (those that arrived with the PLAY response) before it resolves. */
  private resetSessionState(): void {
    this.probe = null;
    this.audioDropped = false;
    this.lastKeyPts = null;
    this.partFrames = 0;
    this.maxPts = -Infinity;
    // Reconnects always start a fresh epoch: the camera's clock and maybe its parameters changed (pitfall 7).
    this.spec = null;
    this.lastDataAt = Date.now();
  }

  private onDrop(reason: UnavailableReason): void {
    if (this.state === 'stopped') return;
    this.generation++;
    this.session?.close();
    this.session = null;
    this.probe = null;
    const wasOnline = this.state === 'online';
    this.state = 'reconnecting';
    this.reason = reason;
    this.onlineAt = null;
    // Report offline on the first failure too, so the console learns why a camera never came up.
    if (wasOnline || this.attempt === 0) this.emit('status', { relayId: this.relayId, status: 'offline', reason });
    // After 'status': whoever hears the rejection of a waiting viewer may look for the offline event.
    this.emit('state', { state: 'reconnecting', reason });
    const delay = Math.min(this.opts.backoff.maxMs, this.opts.backoff.initialMs * 2 ** this.attempt);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'stopped') return;
      this.reconnects++;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }

  private onTick(): void {
    const now = Date.now();
    const s = this.session;
    if (!s) return;
    const dt = (now - this.lastTickAt) / 1000;
    if (dt > 0) {
      const bytes = s.bytesIn;
      this.bitrate = ((bytes - this.lastBytes) * 8) / dt;
      this.lastBytes = bytes;
      this.lastTickAt = now;
    }
    if (now - this.lastDataAt > this.opts.stallTimeoutMs) this.onDrop('stalled');
  }

  private onVideo(u: SourceVideoUnit): void {
    this.lastDataAt = Date.now();
    if (u.key) this.lastKeyframeAt = this.lastDataAt;
    if (this.tap) {
      const codec = this.session?.video.codec;
      if (codec === 'h264' || codec === 'h265') this.emit('video', codec, u);
    }
    if (this.packager.backlog > MAX_BACKLOG) { this.needEpoch = true; return; }

    if (!this.spec) { this.startProbe(u); return; }
    if (this.probe) { this.probeVideo(u); return; }

    if (u.key) {
      this.measureGop(u.pts);
      const paramsChanged = u.params !== null && this.params !== null
        && (!sameBytes(u.params.sps, this.params.sps) || !sameBytes(u.params.pps, this.params.pps));
      const audioGone = this.spec.audio !== null && Date.now() - this.lastAudioAt > this.opts.audioTimeoutMs;
      if (audioGone) this.audioDropped = true;
      if (paramsChanged || audioGone || this.needEpoch) {
        if (!this.beginEpoch(u, this.spec.audio !== null && !this.audioDropped)) return;
      }
    }
    this.packager.addVideo(u.pts, u.key, u.data, this.partCut(u));
  }

  /** Whether `u` starts a new LL-HLS part: every partFrames pictures since the last key frame or cut, at a picture
   * shown after every earlier one (no B-frame refers across the cut), as the quick-start pieces are cut. */
  private partCut(u: SourceVideoUnit): boolean {
    const later = u.pts > this.maxPts;
    this.maxPts = Math.max(this.maxPts, u.pts);
    if (u.key) { this.framesInPart = 1; this.sinceKey = 1; return false; }
    this.sinceKey++;
    if (this.partFrames === 0) return false;
    const tail = this.gopFrames - this.sinceKey + 1;
    if (this.framesInPart >= this.partFrames && later && tail >= this.partFrames / 2) { this.framesInPart = 1; return true; }
    this.framesInPart++;
    return false;
  }

  private partsOn(): boolean {
    return this.opts.parts === true && this.opts.segmentFormat === 'mpegts';
  }

  /** Splits a GOP into parts of whole pictures near PART_TARGET_SEC (25 fps, 1 s GOP: 7, 7, 7, 4 pictures; 2 s: six
   * of 7 and one of 8, the last picture joining the part before); returns the part target to advertise (the longest
   * part), 0 when parts are off. */

  private planParts(): number {
    if (!this.partsOn() || !(this.fps > 0) || !(this.gop > 0)) {
      this.partFrames = 0;
      return 0;
    }
    const gopFrames = Math.max(1, Math.round(this.gop * this.fps));
    const parts = Math.max(1, Math.ceil(this.gop / PART_TARGET_SEC - 0.01));
    this.partFrames = Math.ceil(gopFrames / parts);
    this.gopFrames = gopFrames;
    const rest = gopFrames % this.partFrames;
    return (this.partFrames + (rest > 0 && rest < this.partFrames / 2 ? rest : 0)) / this.fps;
  }

  private onAudio(f: AudioFrame): void {
    this.lastDataAt = Date.now();
    this.lastAudioAt = this.lastDataAt;
    if (!this.spec) return;
    if (this.probe) this.probe.units = null; // the announced audio is real: no video-only replay needed
    this.packager.addAudio(f.pts, f.data);
  }

  /**
   * The first key frame with parameter sets starts the epoch at once, with what is known before measuring: the
   * GOP and frame rate of an earlier session (or the minimum target and 25 fps) and audio as announced. Pictures
   * are then muxed as they arrive instead of being held until the GOP is measured: when a wall opens 100 cameras
   * together, their first segments all close within the same few milliseconds, and muxing a whole GOP per camera
   * at that moment queued the last cameras' playlists ~0.1 s behind the first (`npm run bench:relay`).
   */
  private startProbe(u: SourceVideoUnit): void {
    if (!u.key || !u.params) return; // nothing is decodable before a key frame with parameter sets
    const withAudio = (this.session?.audio ?? null) !== null;
    if (!this.beginEpoch(u, withAudio, true)) return;
    this.probe = { firstKeyPts: u.pts, frames: 1, lastCutPts: u.pts, maxPts: u.pts, units: withAudio ? [u] : null };
    this.packager.addVideo(u.pts, u.key, u.data);
  }

  /** Until the second key frame: measure the GOP and fps (the target duration must cover the GOP, pitfall 8). */
  private probeVideo(u: SourceVideoUnit): void {
    const p = this.probe!;
    const gopEnd = u.key && u.pts > p.firstKeyPts;
    if (!gopEnd && p.frames < MAX_PROBE_UNITS) {
      p.frames++;
      p.units?.push(u);
      // Only at a picture shown after every earlier one: no B-frame then refers across the cut.
      // With parts, the pieces after the first are part-sized: a player's lead is the first piece minus the part
      // it waits for next (see PART_TARGET_SEC).
      const every = p.lastCutPts === p.firstKeyPts || !this.partsOn() ? QUICK_START_CUT_SEC : PART_TARGET_SEC;
      const cut = u.pts - p.lastCutPts >= every - 1e-3 && u.pts > p.maxPts;
      if (cut) p.lastCutPts = u.pts;
      p.maxPts = Math.max(p.maxPts, u.pts);
      this.packager.addVideo(u.pts, u.key, u.data, cut);
      return;
    }
    this.probe = null;
    const span = Math.max(0, u.pts - p.firstKeyPts);
    this.gop = span;
    this.fps = span > 0 ? p.frames / span : 25;
    if (p.units) {
      // Audio was announced but sent nothing for a whole GOP (pitfall 6): the muxer would wait for it forever
      // before closing a segment. Start again video-only with the GOP seen so far (rare: costs one replay).
      if (!this.beginEpoch(p.units[0]!, false)) return;
      for (const v of p.units) this.packager.addVideo(v.pts, v.key, v.data);
      this.packager.addVideo(u.pts, u.key, u.data);
    } else {
      this.packager.addVideo(u.pts, u.key, u.data); // closes the probe's last segment, before the target changes
      this.spec = { ...this.spec!, video: { ...this.spec!.video, fps: this.fps }, targetDuration: this.targetFor(this.gop) };
      this.packager.refineEpoch(this.fps, this.spec.targetDuration, u.key, this.planParts());
    }
    // Parts count pictures from the key frame that ended the probe; a probe cut short mid-GOP cuts none before the
    // next key frame (the packager would refuse them anyway: a segment starts with a key frame).
    this.framesInPart = 1;
    this.sinceKey = 1;
    this.maxPts = Math.max(p.maxPts, u.pts);
    if (!u.key) this.framesInPart = -Infinity;
    this.lastKeyPts = u.pts;
  }

  private measureGop(pts: number): void {
    if (this.lastKeyPts !== null && pts > this.lastKeyPts) this.gop = Math.max(this.gop * 0.8, pts - this.lastKeyPts);
    this.lastKeyPts = pts;
  }

  private beginEpoch(key: SourceVideoUnit, withAudio: boolean, probing = false): boolean {
    const params = key.params ?? this.params;
    if (!params) return false;
    const codec = this.session?.video.codec;
    if (codec !== 'h264' && codec !== 'h265') return false;
    const format = describeVideo(codec, params);
    if (!format) { this.onDrop(`unsupported codec ${codec} (unreadable SPS)`); return false; }
    this.format = format;
    this.params = params;
    this.needEpoch = false;
    const audio = withAudio ? this.session?.audio?.spec ?? null : null;
    this.spec = { video: { ...format, fps: this.fps || 25 }, audio, targetDuration: this.targetFor(this.gop) };
    this.lastAudioAt = Date.now();
    this.packager.startEpoch(this.spec, probing);
    return true;
  }

  /** Segments hold whole GOPs, so the advertised target must cover one: the GOP rounded up to 0.1 s. */
  private targetFor(gop: number): number {
    return Math.max(this.opts.minTargetDuration, Math.ceil(gop * 10 - 0.01) / 10);
  }

  private maybeReady(): void {
    if (this.state === 'stopped' || this.state === 'online') return;
    this.state = 'online';
    this.reason = null;
    this.attempt = 0;
    this.onlineAt = Date.now();
    this.emit('state', { state: 'online', reason: null });
    this.emit('status', { relayId: this.relayId, status: 'online', reason: null });
  }
}
