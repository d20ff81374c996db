// One simulated camera: RTSP server, ONVIF/HTTP server and WS-Discovery responder on its own loopback address,
// plus the runtime fault switch.
import { type Fault, NO_FAULT } from './faults';
import { type Fixture, loadFixture } from './fixtures';
import { scopes } from './onvif/device';
import { PtzState } from './onvif/ptz';
import { OnvifServer, SERVICE_PATHS, SNAPSHOT_PATH } from './onvif/server';
import { RECORDING_SPAN_MS, REPLAY_PATH } from './onvif/recording';
import type { OnvifCamera, OnvifService } from './onvif/types';
import { MAIN_STREAM_PATH, SUB_STREAM_PATH, type SimCameraSpec, onvifXAddr, rtspUrl, subStreamUrl } from '../../server/demo/camera-plan';
import { type AuthResult, HttpAuth } from './rtsp/auth';
import { RtspServer } from './rtsp/server';
import { WsDiscoveryResponder } from './ws-discovery';

export interface CameraOptions {
  /** Join 239.255.255.250 for WS-Discovery; only inside a network namespace a test created. */
  joinMulticast?: boolean;
  /** RTSP session timeout announced and enforced (default 60 s, as most cameras). */
  sessionTimeoutSec?: number;
}

export interface CameraStats {
  online: boolean;
  rtspConnections: number;
  activeStreams: number;
  /** RTSP sessions that ever started playing since the camera started (one per pull). */
  sessionsPlayed: number;
  rtpPackets: number;
  rtpBytes: number;
  /** How clients authenticated (RTSP, HTTP and WS-Security together). */
  auth: Record<AuthResult, number>;
  discoveryProbes: number;
  ptzMoves: number;
  ptzStops: number;
  /** Where the head points now, and the view (pan sector 0–4) a dome shows; undefined without PTZ. */
  ptz?: { pan: number; tilt: number; zoom: number; moving: boolean; view: number; presets: number };
  /** Profile G: the last replay PLAY — the moment asked (Range clock=), where it started (its key frame), Scale. */
  lastReplay?: { askedMs: number; startMs: number; scale: number };
}

export interface SimCamera {
  spec: SimCameraSpec;
  rtspUrl: string;
  /** The sub-stream (子码流) on `/stream2`, same credentials as the main stream. */
  subStreamUrl: string;
  onvifXAddr: string;
  snapshotUrl: string;
  /** Profile G: the SD card's one recording (from startMs, 24 h before start, to now) and its RTSP replay address. */
  recording: { startMs: number; replayUrl: string };
  setFault(f: Fault): void;
  fault: Fault;
  /** Set to hear of every video frame sent (index in the fixture's loop, wall-clock ms): the latency probe's log. */
  onVideoSent: ((frameIndex: number, atMs: number) => void) | null;
  activeStreams(): number;
  close(): Promise<void>;
  /** Resolves when listeners have caught up with the last setFault (going offline is immediate, coming back is not). */
  settled(): Promise<void>;
  stats(): CameraStats;
}

class Camera implements SimCamera {
  readonly rtspUrl: string;
  readonly subStreamUrl: string;
  readonly onvifXAddr: string;
  readonly snapshotUrl: string;
  fault: Fault = NO_FAULT;
  /** Set to hear of every video frame sent (index in the fixture's loop, wall-clock ms): the latency probe's log. */
  onVideoSent: ((frameIndex: number, atMs: number) => void) | null = null;
  private readonly fixture: Fixture;
  private readonly subFixture: Fixture;
  /** Profile G: what the camera's SD card holds (onvif/recording.ts). */
  readonly recording: { startMs: number; replayUrl: string };
  private readonly rtsp: RtspServer;
  private readonly onvif: OnvifServer;
  private readonly wsd: WsDiscoveryResponder;
  private readonly ptz = new PtzState();
  private readonly counters = { packets: 0, bytes: 0 };
  private readonly authCounts: Record<AuthResult, number> = { basic: 0, digest: 0, open: 0, missing: 0, rejected: 0 };
  private up = false;
  private closed = false;
  private flapTimer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly spec: SimCameraSpec, opts: CameraOptions) {
    // A PTZ dome on the default 720p fixture shows pre-encoded views by pan sector (onvif/ptz.ts); the others
    // (H.265, audio, B-frames) keep their one picture, since those fixtures exist to test the codecs.
    const domed = spec.ptz === true && spec.fixture === 'h264';
    this.fixture = loadFixture(domed ? `ptz-${this.ptz.view()}` : spec.fixture);
    this.subFixture = loadFixture(domed ? `ptz-sub-${this.ptz.view()}` : spec.subFixture);
    const views = domed ? {
      [MAIN_STREAM_PATH]: () => loadFixture(`ptz-${this.ptz.view()}`),
      [SUB_STREAM_PATH]: () => loadFixture(`ptz-sub-${this.ptz.view()}`),
    } : undefined;
    this.rtspUrl = rtspUrl(spec);
    this.subStreamUrl = subStreamUrl(spec);
    this.onvifXAddr = onvifXAddr(spec);
    const httpBase = `http://${spec.host}:${spec.onvifPort}`;
    this.snapshotUrl = httpBase + SNAPSHOT_PATH;
    // Hikvision-like realm; credentials are read at check time so the wrong-password fault applies at once.
    const auth = new HttpAuth(`IP Camera(${spec.id})`, () => ({
      username: spec.username, password: spec.password, rejectAll: this.fault.kind === 'wrong-password',
    }));
    const fault = () => this.fault;
    // Profile G: the SD card holds the main stream from 24 h before the camera started (whole seconds, so replay
    // offsets are exact) until now; `/recording` replays it (rtsp/server.ts).
    this.recording = { startMs: Math.floor((Date.now() - RECORDING_SPAN_MS) / 1000) * 1000, replayUrl: `rtsp://${spec.host}:${spec.rtspPort}${REPLAY_PATH}` };
    this.rtsp = new RtspServer({
      id: spec.id, title: spec.name, host: spec.host, port: spec.rtspPort, auth, fault,
      streams: { [MAIN_STREAM_PATH]: this.fixture, [SUB_STREAM_PATH]: this.subFixture, [REPLAY_PATH]: this.fixture }, views,
      replay: { path: REPLAY_PATH, startMs: this.recording.startMs },
      sessionTimeoutSec: opts.sessionTimeoutSec ?? 60, counters: this.counters, authCounts: this.authCounts,
      onVideoSent: (i, at) => this.onVideoSent?.(i, at),
    });
    const cam: OnvifCamera = {
      spec, fixture: this.fixture,
      // The snapshot shows the dome's current view too.
      snapshot: () => (views ? views[MAIN_STREAM_PATH]() : this.fixture).jpeg, subFixture: this.subFixture, rtspUrl: this.rtspUrl, subStreamUrl: this.subStreamUrl, snapshotUrl: this.snapshotUrl, ptz: this.ptz,
      xaddr: (s: OnvifService) => httpBase + SERVICE_PATHS[s],
      recording: this.recording,
    };
    this.onvif = new OnvifServer({ cam, host: spec.host, port: spec.onvifPort, auth, fault, authCounts: this.authCounts });
    this.wsd = new WsDiscoveryResponder(
      { id: spec.id, host: spec.host, xaddr: this.onvifXAddr, scopes: scopes(cam) },
      opts.joinMulticast === true,
    );
  }

  async start(): Promise<void> {
    this.up = true;
    try {
      await this.rtsp.listen();
      await this.onvif.listen();
      await this.wsd.start();
    } catch (err) {
      await this.close();
      throw new Error(`camera ${this.spec.id} cannot listen on ${this.spec.host}: ${(err as Error).message}`);
    }
  }

  activeStreams(): number {
    return this.rtsp.activeStreams();
  }

  setFault(f: Fault): void {
    if (this.closed) return;
    this.fault = f;
    clearTimeout(this.flapTimer);
    this.flapTimer = undefined;
    if (f.kind === 'offline') this.goDown();
    else this.goUp();
    if (f.kind === 'flapping') this.flap(f.periodSec);
  }

  settled(): Promise<void> {
    return this.chain;
  }

  stats(): CameraStats {
    return {
      online: this.up,
      rtspConnections: this.rtsp.connections(),
      activeStreams: this.rtsp.activeStreams(),
      sessionsPlayed: this.rtsp.sessionsPlayed,
      rtpPackets: this.counters.packets,
      rtpBytes: this.counters.bytes,
      auth: { ...this.authCounts },
      discoveryProbes: this.wsd.probes,
      ptzMoves: this.ptz.moves,
      ptzStops: this.ptz.stops,
      ptz: this.spec.ptz ? { ...this.ptz.position(), moving: this.ptz.moving(), view: this.ptz.view(), presets: this.ptz.list().length } : undefined,
      lastReplay: this.rtsp.lastReplay,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.flapTimer);
    this.up = false;
    await this.chain.catch(() => undefined);
    await Promise.all([this.rtsp.close(), this.onvif.close(), this.wsd.stop()]);
  }

  /** Up for periodSec, down for periodSec/2, and so on until the fault changes. */
  private flap(periodSec: number): void {
    const cycle = (nowUp: boolean) => {
      this.flapTimer = setTimeout(() => {
        if (nowUp) this.goDown();
        else this.goUp();
        cycle(!nowUp);
      }, (nowUp ? periodSec : periodSec / 2) * 1000);
      this.flapTimer.unref();
    };
    cycle(true);
  }

  /** Listeners are closed synchronously inside close(), so connections are refused from this call on. */
  private goDown(): void {
    if (!this.up) return;
    this.up = false;
    const closing = Promise.all([this.rtsp.close(), this.onvif.close(), this.wsd.stop()]);
    this.chain = this.chain.then(() => closing).then(() => undefined, () => undefined);
  }

  private goUp(): void {
    if (this.up) return;
    this.up = true;
    this.chain = this.chain.then(async () => {
      if (this.closed || !this.up) return;
      await this.rtsp.listen();
      await this.onvif.listen();
      await this.wsd.start();
    }).catch((err) => console.error(`[simulator] ${this.spec.id} could not come back online:`, err));
  }
}

export async function startCamera(spec: SimCameraSpec, opts: CameraOptions = {}): Promise<SimCamera> {
  const cam = new Camera(spec, opts);
  await cam.start();
  return cam;
}
