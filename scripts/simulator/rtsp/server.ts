// The camera's RTSP server: OPTIONS, DESCRIBE, SETUP (RTP over TCP interleaved, or unicast UDP), PLAY, PAUSE,
// TEARDOWN, GET/SET_PARAMETER keep-alives, session timeout, Basic/Digest auth. Multicast is refused with 461.
// A session ends with its RTSP connection, as on most cameras. Two streams: the main stream on `/stream1` and the
// sub-stream (子码流) on `/stream2`; auth, faults and session limits are the camera's, shared by both.
import { type Server, type Socket, createServer } from 'node:net';
import type { Fault } from '../faults';
import type { AudioTrack, Fixture } from '../fixtures';
import { loadFixture } from '../fixtures';
import { MAIN_STREAM_PATH, SUB_STREAM_PATH } from '../../../server/demo/camera-plan';
import { type AuthResult, HttpAuth } from './auth';
import { type RtspRequest, RtspParser, formatResponse } from './message';
import { listen } from '../listen';
import { malformedResponse, malformedSdp } from '../malformed';
import { buildSdp } from './sdp';
import { RtspSession, type SessionTrack } from './session';
import { bindRtpPair, closePair } from './udp';

export const STREAM_PATH = MAIN_STREAM_PATH;
export { SUB_STREAM_PATH };
const PUBLIC_METHODS = 'OPTIONS, DESCRIBE, SETUP, PLAY, PAUSE, TEARDOWN, GET_PARAMETER, SET_PARAMETER';

export interface RtspServerOptions {
  id: string;
  title: string;
  host: string;
  port: number;
  /** What each RTSP path plays: `/stream1` the main stream, `/stream2` the sub-stream. */
  streams: Record<string, Fixture>;
  /** A PTZ dome's paths: the picture its head points at now (a session switches to it at its next key frame). */
  views?: Record<string, () => Fixture>;
  auth: HttpAuth;
  fault(): Fault;
  /** Profile G replay: this path plays the recording that started at startMs (Range: clock=…, Scale). */
  replay?: { path: string; startMs: number };
  sessionTimeoutSec: number;
  counters: { packets: number; bytes: number };
  /** See SessionHost.onVideoSent. */
  onVideoSent?: (frameIndex: number, atMs: number) => void;
  authCounts: Record<AuthResult, number>;
}

export class RtspServer {
  private server: Server | undefined;
  private readonly conns = new Set<Socket>();
  private readonly sessions = new Map<string, RtspSession>();
  /** The last replay PLAY (tests check what a client asked for). */
  lastReplay: { askedMs: number; startMs: number; scale: number } | undefined;

  constructor(private readonly o: RtspServerOptions) {}

  /** Sessions that ever started playing (a pause and resume counts once): how many times the camera was pulled. */
  sessionsPlayed = 0;
  private readonly playedOnce = new WeakSet<RtspSession>();

  /** Sessions currently playing (what a relay pulling this camera adds). */
  activeStreams(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s.playing) n++;
    return n;
  }

  connections(): number {
    return this.conns.size;
  }

  listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer((sock) => this.accept(sock));
    this.server = server;
    return listen(server, this.o.host, this.o.port);
  }

  /** Stops accepting (new connections are refused at once) and drops every client. */
  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.dropClients();
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  dropClients(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
    for (const c of this.conns) c.destroy();
    this.conns.clear();
  }

  private accept(sock: Socket): void {
    this.conns.add(sock);
    sock.setNoDelay(true);
    const mine = new Set<RtspSession>();
    const parser = new RtspParser(
      (req) => this.handle(sock, mine, req),
      (channel) => {
        // RTCP receiver reports on the odd channels keep the sessions alive, as on real cameras.
        if (channel & 1) for (const s of mine) s.touch();
      },
      () => sock.destroy(),
    );
    sock.on('data', (chunk) => parser.push(chunk));
    sock.on('error', () => undefined);
    sock.on('close', () => {
      this.conns.delete(sock);
      for (const s of mine) this.endSession(s);
      mine.clear();
    });
  }

  private endSession(s: RtspSession): void {
    s.close();
    this.sessions.delete(s.id);
  }

  private handle(sock: Socket, mine: Set<RtspSession>, req: RtspRequest): void {
    const fault = this.o.fault();
    const delay = fault.kind === 'slow' ? fault.delayMs : 0;
    const headers: Array<[string, string]> = [
      ['CSeq', req.headers.cseq ?? '0'],
      ['Server', 'SimCam RTSP/1.0'],
      ['Date', new Date().toUTCString()],
    ];
    const send = (status: number, extra: Array<[string, string]> = [], body?: string, after?: () => void) => {
      const write = () => {
        if (sock.destroyed) return;
        const good = formatResponse(status, [...headers, ...extra], body);
        if (fault.kind === 'bad-rtsp') {
          const { bytes, close } = malformedResponse(fault.variant, good);
          sock.write(bytes);
          if (close) return void sock.end();
        } else sock.write(good);
        after?.();
      };
      if (delay > 0) setTimeout(write, delay).unref(); // a pending slow answer must not keep a closing process alive
      else write();
    };

    const sessionHeader = req.headers.session?.split(';')[0].trim();
    const session = sessionHeader ? this.sessions.get(sessionHeader) : undefined;
    session?.touch();

    if (req.method === 'OPTIONS') return send(200, [['Public', PUBLIC_METHODS]]);
    // Keep-alives addressed to the server as a whole ('*'): the session header above already did the work.
    if (req.uri === '*' && (req.method === 'GET_PARAMETER' || req.method === 'SET_PARAMETER')) {
      return send(200, session ? [['Session', session.id]] : []);
    }

    const path = pathOf(req.uri);
    const streamPath = path === undefined ? undefined : Object.keys(this.o.streams).find((p) => path === p || path.startsWith(p + '/'));
    if (streamPath === undefined) return send(404);

    // Cameras authenticate everything after OPTIONS.
    const auth = this.o.auth.check(req.method, req.headers.authorization);
    this.o.authCounts[auth]++;
    if (auth === 'missing' || auth === 'rejected') {
      return send(401, this.o.auth.challenges().map((c): [string, string] => ['WWW-Authenticate', c]));
    }

    const fixture = this.o.streams[streamPath];
    const base = `rtsp://${this.o.host}:${this.o.port}${streamPath}/`;
    switch (req.method) {
      case 'DESCRIBE': {
        const good = buildSdp({
          host: this.o.host, sessionId: String(Date.now()), title: this.o.title, video: fixture.video, audio: this.audioOf(fixture, fault),
        });
        const sdp = fault.kind === 'bad-sdp' ? malformedSdp(fault.variant, good) : good;
        return send(200, [['Content-Base', base], ['Content-Type', 'application/sdp']], sdp);
      }
      case 'SETUP': {
        const m = /trackID=(\d+)/.exec(req.uri);
        const trackId = m ? Number(m[1]) : 0;
        const kind = trackId === 0 ? 'video' : trackId === 1 && this.audioOf(fixture, fault) ? 'audio' : undefined;
        if (!kind) return send(404);
        const transport = req.headers.transport ?? '';
        const tcp = /RTP\/AVP\/TCP/i.test(transport);
        const clientPorts = /client_port=(\d+)(?:-(\d+))?/.exec(transport);
        if (!tcp && (!clientPorts || /multicast/i.test(transport))) return send(461);
        if (sessionHeader && !session) return send(454);
        if (session && session.socket !== sock) return send(459); // a session's tracks share the connection
        if (session && session.fixture !== fixture) return send(459); // ...and one stream: no main video with sub audio
        const setup = (udp?: SessionTrack['udp']) => {
          if (sock.destroyed) {
            if (udp) closePair(udp.pair);
            return;
          }
          const s = session ?? new RtspSession(sock, { fault: this.o.fault, fixture, counters: this.o.counters, view: this.o.views?.[streamPath], onVideoSent: this.o.onVideoSent },
            this.o.sessionTimeoutSec, (expired) => this.expire(expired, mine));
          if (!session) {
            this.sessions.set(s.id, s);
            mine.add(s);
          }
          const il = /interleaved=(\d+)(?:-(\d+))?/.exec(transport);
          const channel = il ? Number(il[1]) : trackId * 2;
          const t = s.addTrack(trackId, kind, channel, udp);
          const ssrc = t.ssrc.toString(16).toUpperCase().padStart(8, '0');
          const reply = udp
            ? `RTP/AVP;unicast;client_port=${udp.rtpPort}-${udp.rtpPort + 1};server_port=${udp.pair.port}-${udp.pair.port + 1};ssrc=${ssrc};mode="play"`
            : `RTP/AVP/TCP;unicast;interleaved=${channel}-${channel + 1};ssrc=${ssrc};mode="play"`;
          send(200, [['Transport', reply], ['Session', `${s.id};timeout=${this.o.sessionTimeoutSec}`]]);
        };
        if (tcp) return setup();
        // UDP: the client's address is the RTSP peer's (loopback here); the ports come from its Transport.
        const address = sock.remoteAddress ?? '127.0.0.1';
        const rtpPort = Number(clientPorts![1]);
        bindRtpPair(this.o.host).then((pair) => setup({ pair, address, rtpPort }), () => send(503));
        return;
      }
      case 'PLAY': {
        if (!session) return send(454);
        const info = session.rtpInfo().map((r) => `url=${base}trackID=${r.trackId};seq=${r.seq};rtptime=${r.rtptime}`).join(',');
        let range = 'npt=0.000-';
        const extra: Array<[string, string]> = [];
        if (this.o.replay && streamPath === this.o.replay.path && !session.playing && (req.headers.range !== undefined || !session.started)) {
          // The recording runs from startMs to now; the fixture loops through it, so a moment t shows the loop at
          // (t − startMs) mod its length. No Range: from the start of the recording.
          // `npt=` (what every client sends by default, and platforms whose URL carries the start) counts from the
          // recording's start.
          const rangeHeader = req.headers.range ?? 'npt=0-';
          const npt = /^\s*npt\s*=\s*(\d+(?:\.\d+)?)\s*-/i.exec(rangeHeader);
          const asked = npt ? this.o.replay.startMs + Math.round(Number(npt[1]) * 1000) : parseClockRange(rangeHeader);
          const now = Date.now();
          if (asked === undefined || asked < this.o.replay.startMs || asked > now) return send(457);
          const scale = Number(req.headers.scale ?? '1');
          if (!Number.isFinite(scale) || scale <= 0 || scale > 16) return send(457); // reverse play is not offered
          const offset = asked - this.o.replay.startMs;
          const loopMs = fixture.video.loopTicks / 90;
          const startsAt = asked - (offset % loopMs) + session.replayFrom(offset, scale);
          range = `clock=${clockTime(startsAt)}-`;
          this.lastReplay = { askedMs: asked, startMs: startsAt, scale };
          extra.push(['Scale', String(scale)]);
        }
        if (!this.playedOnce.has(session)) {
          this.playedOnce.add(session);
          this.sessionsPlayed++;
        }
        return send(200, [['Session', session.id], ['Range', range], ...extra, ['RTP-Info', info]], undefined, () => session.play());
      }
      case 'PAUSE': {
        if (!session) return send(454);
        session.pause();
        return send(200, [['Session', session.id]]);
      }
      case 'TEARDOWN': {
        if (session) {
          this.endSession(session);
          mine.delete(session);
        }
        return send(200, session ? [['Session', session.id]] : []);
      }
      case 'GET_PARAMETER':
      case 'SET_PARAMETER':
        return send(200, session ? [['Session', session.id]] : []);
      default:
        return send(405, [['Allow', PUBLIC_METHODS]]);
    }
  }

  /** The audio track announced in the SDP: the fixture's, or, under silent-audio, an AAC track that never plays. */
  private audioOf(fixture: Fixture, fault: Fault): AudioTrack | undefined {
    return fixture.audio ?? (fault.kind === 'silent-audio' ? loadFixture('h264-aac').audio : undefined);
  }

  private expire(s: RtspSession, mine: Set<RtspSession>): void {
    this.endSession(s);
    mine.delete(s);
    // A timed-out TCP-interleaved session takes its connection with it, like a camera freeing the slot.
    if (mine.size === 0) s.socket.destroy();
  }
}

/** `clock=20261207T101500Z-` or `clock=20261207T101500.250Z-…` → epoch ms (the start only). */
export function parseClockRange(header: string): number | undefined {
  const m = /clock\s*=\s*(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z/i.exec(header);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) + (m[7] ? Math.round(Number(m[7]) * 1000) : 0);
  return Number.isFinite(ms) ? ms : undefined;
}

export function clockTime(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, (_, f: string) => (f === '000' ? 'Z' : `.${f}Z`));
}

function pathOf(uri: string): string | undefined {
  if (uri.startsWith('/')) return uri.split('?')[0];
  try {
    return new URL(uri).pathname;
  } catch {
    return undefined;
  }
}
