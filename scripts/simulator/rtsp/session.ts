// One RTSP session: its tracks, and (while playing) the pacing of the looped fixture at real-time speed.
// Each session has its own cursor starting at the fixture's first IDR, so every client starts decoding at once.
import { randomBytes, randomInt } from 'node:crypto';
import type { Socket } from 'node:net';
import { type Paced, clock, rtpCounters } from '../clock';
import type { Fault } from '../faults';
import { malformedRtp } from '../malformed';
import { type AudioTrack, type Fixture, type VideoTrack, alternateFixture } from '../fixtures';
import { type RtpPayload, writeRtpHeader } from '../rtp/packetizer';
import { senderReport } from '../rtp/rtcp';
import { type UdpPair, closePair } from './udp';

/** Beyond this much unsent data the client is not keeping up: drop frames until the next keyframe, as cameras do. */
const MAX_BUFFERED = 2 * 1024 * 1024;
/** Cameras send an RTCP sender report every few seconds per track. */
const SR_INTERVAL_MS = 5000;

export interface SessionTrack {
  trackId: number;
  kind: 'video' | 'audio';
  /** Interleaved channel for RTP; RTCP uses channel + 1. */
  channel: number;
  ssrc: number;
  /** Next sequence number and the random timestamp origin (RFC 3550 wants both unpredictable). */
  seq: number;
  tsBase: number;
  packets: number;
  octets: number;
  /** RTP over UDP to the client's ports instead of interleaved on the RTSP connection. */
  udp?: { pair: UdpPair; address: string; rtpPort: number };
}

export interface SessionHost {
  fault(): Fault;
  fixture: Fixture;
  /** Per-camera counters, next to the process-wide ones. */
  counters: { packets: number; bytes: number };
  /** A PTZ dome: the picture its head points at now, switched to at the next key frame (same SPS, no jump). */
  view?: () => Fixture;
  /** Told of every video frame as it is sent: its index in the fixture's loop and the wall-clock time (ms, with
   * sub-millisecond precision) — the latency probe's sender log (bench:latency). */
  onVideoSent?: (frameIndex: number, atMs: number) => void;
}

interface Frame { due: number; ts: number; key: boolean; payloads: RtpPayload[] }

/** Walks a looped track; `origin` lets the sps-change fault splice another fixture in without a timestamp jump. */
class Cursor {
  private index = 0;
  private loop = 0;
  private origin = 0;

  constructor(private track: VideoTrack | AudioTrack) {}

  get clockRate(): number {
    return this.track.clockRate;
  }

  /** Index of the current frame in the loop. */
  get position(): number {
    return this.index;
  }

  get playing(): VideoTrack | AudioTrack {
    return this.track;
  }

  current(): Frame {
    const base = this.origin + this.loop * this.track.loopTicks;
    if (this.track.kind === 'video') {
      const f = this.track.frames[this.index];
      return { due: base + f.dts, ts: base + f.pts, key: f.key, payloads: f.payloads };
    }
    const f = this.track.frames[this.index];
    return { due: base + f.ts, ts: base + f.ts, key: true, payloads: [f.payload] };
  }

  /**
   * Replay: start at `ticks` into the loop — at the last key frame at or before it for video (a decoder needs the
   * IDR), at the first frame at or after it for audio. Returns where it starts, in ticks.
   */
  seek(ticks: number): number {
    const frames = this.track.frames;
    let at = 0;
    if (this.track.kind === 'video') {
      const video = this.track.frames;
      for (let i = 0; i < video.length && video[i].dts <= ticks; i++) if (video[i].key) at = i;
      this.index = at;
      return video[at].dts;
    }
    const audio = this.track.frames;
    while (at < audio.length - 1 && audio[at].ts < ticks) at++;
    this.index = at;
    return frames.length ? audio[at].ts : 0;
  }

  advance(): void {
    if (++this.index === this.track.frames.length) {
      this.index = 0;
      this.loop++;
    }
  }

  /**
   * Continues with another track from the next frame on (its first frame is an IDR carrying the new SPS).
   * The new track starts at the presentation time of the keyframe it replaces: with B-frames that is a little
   * after its decode time, so nothing already sent is presented later than the new IDR.
   */
  switchTo(track: VideoTrack): void {
    this.origin = this.current().ts;
    this.track = track;
    this.index = 0;
    this.loop = 0;
  }
}

export class RtspSession implements Paced {
  readonly id = randomBytes(8).toString('hex').toUpperCase();
  readonly tracks = new Map<number, SessionTrack>();
  playing = false;
  private video?: Cursor;
  private audio?: Cursor;
  private startMs = 0;
  private elapsedAtPauseMs = 0;
  private needKey = false;
  private switched = false;
  private lastReportMs = -Infinity;
  private timeout: NodeJS.Timeout;
  /** Replay (Profile G): media time where playing started, and how much faster than real time it is sent. */
  private seekMs = 0;
  private scale = 1;

  constructor(
    readonly socket: Socket,
    private readonly host: SessionHost,
    timeoutSec: number,
    private readonly onExpire: (s: RtspSession) => void,
  ) {
    this.timeout = setTimeout(() => this.onExpire(this), timeoutSec * 1000);
    this.timeout.unref();
  }

  /** The stream this session plays (the main stream's fixture or the sub-stream's). */
  get fixture(): Fixture {
    return this.host.fixture;
  }

  addTrack(trackId: number, kind: 'video' | 'audio', channel: number, udp?: SessionTrack['udp']): SessionTrack {
    const old = this.tracks.get(trackId);
    if (old?.udp) closePair(old.udp.pair);
    const t: SessionTrack = {
      trackId, kind, channel, ssrc: randomBytes(4).readUInt32BE(0), seq: randomInt(0, 0xffff), tsBase: randomBytes(4).readUInt32BE(0), udp,
      packets: 0, octets: 0,
    };
    // Receiver reports on the RTCP port keep a UDP session alive, as they do over TCP.
    udp?.pair.rtcp.on('message', () => this.touch());
    this.tracks.set(trackId, t);
    return t;
  }

  /** Any request or RTCP from the client keeps the session alive. */
  touch(): void {
    this.timeout.refresh();
  }

  /** The seq/rtptime of the first packet each track will send, for RTP-Info. */
  rtpInfo(): Array<{ trackId: number; seq: number; rtptime: number }> {
    return [...this.tracks.values()].map((t) => ({ trackId: t.trackId, seq: t.seq, rtptime: t.tsBase >>> 0 }));
  }

  /**
   * Replay from `offsetMs` into the fixture's loop at `scale`× real time (before play). Returns the offset it really
   * starts at: the key frame at or before the one asked for.
   */
  replayFrom(offsetMs: number, scale: number): number {
    this.createCursors();
    const loopMs = this.host.fixture.video.loopTicks / 90;
    const startTicks = this.video!.seek(((offsetMs % loopMs) + loopMs) % loopMs * 90);
    this.audio?.seek((startTicks / 90000) * this.audio.clockRate);
    this.seekMs = startTicks / 90;
    this.scale = scale;
    this.elapsedAtPauseMs = 0;
    return this.seekMs;
  }

  /** PLAY was asked before (a later PLAY without Range resumes where PAUSE left it). */
  get started(): boolean {
    return this.video !== undefined;
  }

  private createCursors(): void {
    const f = this.host.fixture;
    for (const t of this.tracks.values()) {
      if (t.kind === 'video') this.video ??= new Cursor(f.video);
      else if (f.audio) this.audio ??= new Cursor(f.audio);
      // else: audio announced by the silent-audio fault but absent from the fixture — nothing to send.
    }
  }

  play(now = performance.now()): void {
    if (this.playing) return;
    this.createCursors();
    this.startMs = now - this.elapsedAtPauseMs;
    this.playing = true;
    clock.add(this);
    this.tick(now); // the IDR goes out right behind the PLAY response
  }

  pause(now = performance.now()): void {
    if (!this.playing) return;
    this.elapsedAtPauseMs = now - this.startMs;
    this.playing = false;
    clock.remove(this);
  }

  close(): void {
    this.pause();
    clearTimeout(this.timeout);
    for (const t of this.tracks.values()) if (t.udp) closePair(t.udp.pair);
  }

  tick(now: number): void {
    if (this.socket.destroyed) return this.close();
    const fault = this.host.fault();
    // Media time: wall time since PLAY (times the replay scale) from where a replay started (0 for live).
    const elapsedMs = (now - this.startMs) * this.scale + this.seekMs;
    // Switch at a keyframe of the current fixture, so its last GOP completes and presentation times stay monotonic.
    if (fault.kind === 'sps-change' && !this.switched && this.video && elapsedMs >= fault.afterSec * 1000 && this.video.current().key) {
      this.switched = true;
      this.video.switchTo(alternateFixture(this.host.fixture).video);
    }
    // A dome shows where its head points. A real camera's picture changes with the next encoded frame, so the view
    // switches at once, starting with the new view's IDR (an IDR may come at any time; the GOP restarts there).
    if (this.host.view && this.video) {
      const want = this.host.view().video;
      if (want !== this.video.playing) this.video.switchTo(want);
    }
    // A stalled camera still advances its clock, so when it recovers it resumes live (from the next keyframe).
    const stalled = fault.kind === 'stall';
    if (stalled) this.needKey = true;
    // Broken RTP replaces every packet; once the fault clears, the stream resumes at a keyframe, as after a stall.
    const corrupt = fault.kind === 'bad-rtp' ? fault.variant : undefined;
    if (corrupt) this.needKey = true;
    const out: Buffer[] = [];
    const emit = (t: SessionTrack, f: Frame) => {
      const good = this.frame(t, f);
      const buf = corrupt ? malformedRtp(corrupt, good) : good;
      if (t.udp) sendUdp(t.udp, buf);
      else out.push(buf);
    };
    const congested = this.socket.writableLength > MAX_BUFFERED;
    if (this.video) {
      const track = this.trackOf('video');
      const due = (elapsedMs * this.video.clockRate) / 1000;
      for (let f = this.video.current(); f.due <= due; this.video.advance(), f = this.video.current()) {
        if (stalled || !track) continue;
        if (congested) { this.needKey = true; continue; }
        if (corrupt) { emit(track, f); continue; }
        if (this.needKey && !f.key) continue;
        this.needKey = false;
        emit(track, f);
        this.host.onVideoSent?.(this.video.position, performance.timeOrigin + performance.now());
      }
    }
    if (this.audio) {
      const track = this.trackOf('audio');
      const due = (elapsedMs * this.audio.clockRate) / 1000;
      const silent = fault.kind === 'silent-audio';
      for (let f = this.audio.current(); f.due <= due; this.audio.advance(), f = this.audio.current()) {
        if (!stalled && !silent && !congested && track) emit(track, f);
      }
    }
    if (now - this.lastReportMs >= SR_INTERVAL_MS && !stalled) {
      this.lastReportMs = now;
      for (const t of this.tracks.values()) {
        const rate = t.kind === 'video' ? 90000 : (this.audio?.clockRate ?? 0);
        if (!rate || (t.kind === 'audio' && fault.kind === 'silent-audio')) continue;
        // Stream time 0 is startMs on both tracks, so the two reports agree on what plays together.
        const sr = senderReport({
          ssrc: t.ssrc, wallMs: Date.now(), rtpTime: t.tsBase + Math.floor((elapsedMs * rate) / 1000),
          packets: t.packets, octets: t.octets, cname: this.cname,
        });
        if (t.udp) t.udp.pair.rtcp.send(sr, t.udp.rtpPort + 1, t.udp.address);
        else out.push(interleave(t.channel + 1, sr));
      }
    }
    if (out.length) this.socket.write(out.length === 1 ? out[0] : Buffer.concat(out));
  }

  private get cname(): string {
    return `${this.id.toLowerCase()}@${this.socket.localAddress ?? 'camera'}`;
  }

  private trackOf(kind: 'video' | 'audio'): SessionTrack | undefined {
    for (const t of this.tracks.values()) if (t.kind === kind) return t;
    return undefined;
  }

  /** All packets of one frame, '$'-framed for RTP over the RTSP connection, in one buffer (one write). */
  private frame(t: SessionTrack, f: Frame): Buffer {
    let size = 0;
    for (const p of f.payloads) size += 16 + p.data.length;
    const buf = Buffer.allocUnsafe(size);
    const pt = t.kind === 'video' ? this.host.fixture.video.payloadType : (this.host.fixture.audio?.payloadType ?? 0);
    let o = 0;
    for (const p of f.payloads) {
      buf[o] = 0x24;
      buf[o + 1] = t.channel;
      buf.writeUInt16BE(12 + p.data.length, o + 2);
      writeRtpHeader(buf, o + 4, { payloadType: pt, marker: p.marker, seq: t.seq, timestamp: t.tsBase + f.ts, ssrc: t.ssrc });
      t.seq = (t.seq + 1) & 0xffff;
      t.packets++;
      t.octets += p.data.length;
      p.data.copy(buf, o + 16);
      o += 16 + p.data.length;
    }
    this.host.counters.packets += f.payloads.length;
    this.host.counters.bytes += size;
    rtpCounters.packets += f.payloads.length;
    rtpCounters.bytes += size;
    return buf;
  }
}

/** The interleaved frame buffer minus its 4-byte '$' prefixes: one datagram per RTP packet. */
function sendUdp(udp: NonNullable<SessionTrack['udp']>, buf: Buffer): void {
  for (let o = 0; o < buf.length;) {
    const len = buf.readUInt16BE(o + 2);
    udp.pair.rtp.send(buf.subarray(o + 4, o + 4 + len), udp.rtpPort, udp.address);
    o += 4 + len;
  }
}

function interleave(channel: number, data: Buffer): Buffer {
  const head = Buffer.from([0x24, channel, data.length >> 8, data.length & 0xff]);
  return Buffer.concat([head, data]);
}
