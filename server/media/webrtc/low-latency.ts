// The low-latency sessions of the gateway: WHEP viewers fed from the relays' access units, under a cap. Framework-
// free: the route checks who may watch (session, scope) and that the relay runs; this owns the WebRTC side.
import type { CameraRelays, StreamKind } from '../camera-relays';
import type { VideoCodec } from '../types';
import { WhepSession, type IceOptions } from './whep-session';

export class LowLatencyLimitError extends Error {
  constructor(readonly limit: number) {
    super(`Too many low-latency sessions (limit ${limit})`);
  }
}

export class LowLatencyCodecError extends Error {
  constructor(readonly codec: VideoCodec | null) {
    super(codec === 'h265'
      ? 'H.265 cannot be played over WebRTC by browsers: stay on HLS'
      : 'The stream\'s codec is not known yet: stay on HLS');
  }
}

export interface LowLatencyOptions {
  maxSessions: number;
  ice: IceOptions;
  /** A session whose peer has not connected by then is closed (a browser that vanished after the POST). */
  connectTimeoutMs?: number;
  /** A session whose viewer sent no RTCP for this long is closed (gone without DELETE). */
  silenceMs?: number;
}

interface Entry {
  session: WhepSession;
  owner: string;
  cameraId: number;
  stream: StreamKind;
}

export interface LowLatencyInfo {
  id: string;
  cameraId: number;
  stream: StreamKind;
  state: string;
  frames: number;
  ageSec: number;
}

export class LowLatencySessions {
  private readonly sessions = new Map<string, Entry>();
  /** Offers being answered: they hold a place under the cap too. */
  private pending = 0;

  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly relays: CameraRelays, private readonly opts: LowLatencyOptions) {
    const silence = opts.silenceMs ?? 10_000;
    this.sweep = setInterval(() => {
      const now = Date.now();
      for (const { session } of this.sessions.values()) if (session.silentForMs(now) > silence) void session.close();
    }, Math.min(2_000, silence / 2));
    this.sweep.unref();
  }

  get limit(): number { return this.opts.maxSessions; }
  get size(): number { return this.sessions.size; }

  /**
   * Answer a WHEP offer for a running relay (the caller made sure it runs and the viewer may see it). `owner`
   * names the viewer (session) who alone may end it.
   */
  async open(cameraId: number, stream: StreamKind, offerSdp: string, owner: string): Promise<{ id: string; answer: string }> {
    if (this.sessions.size + this.pending >= this.opts.maxSessions) throw new LowLatencyLimitError(this.opts.maxSessions);
    const codec = this.relays.codecOf(cameraId, stream);
    if (codec !== 'h264') throw new LowLatencyCodecError(codec);
    this.pending++;
    let session: WhepSession;
    let answer: string;
    try {
      session = new WhepSession(this.opts.ice);
      try {
        answer = await session.answer(offerSdp);
      } catch (err) {
        await session.close();
        throw err;
      }
    } finally {
      this.pending--;
    }
    const unsubscribe = this.relays.subscribe(cameraId, stream, {
      onUnit: (c, unit) => {
        // A camera switched to H.265 mid-session (reconfigured): the browser could not decode it any more.
        if (c !== 'h264') { void session.close(); return; }
        session.feed(unit);
      },
      onEnd: () => { void session.close(); },
    });
    const timer = setTimeout(() => {
      if (session.connectionState !== 'connected') void session.close();
    }, this.opts.connectTimeoutMs ?? 15_000);
    timer.unref();
    session.onClose = () => {
      clearTimeout(timer);
      unsubscribe();
      this.sessions.delete(session.id);
    };
    this.sessions.set(session.id, { session, owner, cameraId, stream });
    return { id: session.id, answer };
  }

  /** End a session (WHEP DELETE); false when there is none of that id for this owner. */
  async close(id: string, owner: string): Promise<boolean> {
    const entry = this.sessions.get(id);
    if (!entry || entry.owner !== owner) return false;
    await entry.session.close();
    return true;
  }

  list(): LowLatencyInfo[] {
    const now = Date.now();
    return [...this.sessions.values()].map(({ session, cameraId, stream }) => ({
      id: session.id, cameraId, stream, state: session.connectionState, frames: session.frames, ageSec: Math.floor((now - session.createdAt) / 1000),
    }));
  }

  async closeAll(): Promise<void> {
    clearInterval(this.sweep);
    await Promise.all([...this.sessions.values()].map((e) => e.session.close()));
  }
}
