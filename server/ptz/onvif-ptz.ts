// ONVIF PTZ (ver20/ptz) through the `onvif` npm client: continuous move, stop, presets, home, status. One connected
// client per camera is kept for a while (connecting costs GetCapabilities/GetServices, GetProfiles and
// GetVideoSources — four round trips a steering operator must not wait for on every key press), and dropped on any
// failure or when the credentials or address change. Pure protocol code: no Fastify, no database.
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { HttpError } from '../errors';
import { classify } from '../discovery/onvif/interrogate';

type Cb<T> = (err: Error | null, value: T, xml?: string) => void;
interface OnvifPtzCam {
  on(event: 'rawResponse', listener: (xml: string, statusCode: number) => void): void;
  connect(cb: (err: Error | null) => void): void;
  continuousMove(opts: { x: number; y: number; zoom: number; timeout?: number }, cb: Cb<unknown>): void;
  stop(opts: { panTilt: boolean; zoom: boolean }, cb: Cb<unknown>): void;
  getPresets(opts: object, cb: Cb<Record<string, { $: { token: string | number }; name: string | number }>>): void;
  gotoPreset(opts: { preset: string }, cb: Cb<unknown>): void;
  setPreset(opts: { presetName: string; presetToken?: string }, cb: Cb<unknown>): void;
  removePreset(opts: { presetToken: string }, cb: Cb<unknown>): void;
  gotoHomePosition(opts: object, cb: Cb<unknown>): void;
  getStatus(opts: object, cb: Cb<{ position: { x: number; y: number; zoom: number }; moveStatus?: { panTilt?: string; zoom?: string } }>): void;
  uri?: Record<string, unknown>;
}
const { Cam } = createRequire(import.meta.url)('onvif') as { Cam: new (options: Record<string, unknown>) => unknown };

/** An unconnected `onvif` client for a device address and credentials (PTZ here, device recordings in
 * server/media/device-recordings.ts): one place that turns a stored xaddr into the client's options. */
export function newOnvifCam<T>(t: { xaddr: string; username?: string; password?: string }, timeoutMs: number): T {
  const url = new URL(t.xaddr);
  return new Cam({
    hostname: url.hostname,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    path: url.pathname,
    username: t.username,
    password: t.password,
    timeout: timeoutMs,
    autoconnect: false,
    useSecure: url.protocol === 'https:',
  }) as T;
}

export interface PtzTarget {
  cameraId: number;
  /** The device service address, without credentials. */
  xaddr: string;
  username?: string;
  password?: string;
}

export interface Velocity { pan: number; tilt: number; zoom: number }
export interface PtzPreset { token: string; name: string }
export interface PtzStatus { pan: number; tilt: number; zoom: number; moving: boolean }

/** The camera could not be reached or refused: 502 naming the failure kind (never the credentials), 504 on timeout. */
export class PtzDeviceError extends HttpError {
  constructor(readonly kind: string, message: string) {
    super(kind === 'timeout' ? 504 : 502, `camera PTZ: ${message}`);
  }
}

/** The camera answered with an ONVIF fault about the request (an unknown preset, a duplicate name, no room). */
export class PtzRefusedError extends HttpError {
  constructor(message: string, status = 409) {
    super(status, message);
  }
}

/** The onvif package writes names into its XML as they are; a name with & or < would break the request (or add elements). */
export function xmlText(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

const call = <T>(fn: (cb: Cb<T>) => void) =>
  new Promise<{ value: T; xml: string }>((resolve, reject) => fn((err, value, xml) => (err ? reject(err) : resolve({ value, xml: xml ?? '' }))));

interface Entry { key: string; cam: Promise<OnvifPtzCam>; lastUsed: number; last: { status?: number; body?: string } }

export interface OnvifPtzOptions {
  timeoutMs: number;
  /** A connected client unused this long is dropped. */
  idleMs: number;
}

export class OnvifPtz {
  private readonly clients = new Map<number, Entry>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly o: OnvifPtzOptions = { timeoutMs: 5_000, idleMs: 5 * 60_000 }) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, o.idleMs));
    this.sweeper.unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.clients.clear();
  }

  async move(t: PtzTarget, v: Velocity): Promise<void> {
    // No ONVIF Timeout: the console's own watchdog stops it (cameras differ widely in how they read PTnS).
    await this.run(t, (cam) => call((cb) => cam.continuousMove({ x: v.pan, y: v.tilt, zoom: v.zoom }, cb)));
  }

  async stop(t: PtzTarget): Promise<void> {
    await this.run(t, (cam) => call((cb) => cam.stop({ panTilt: true, zoom: true }, cb)));
  }

  async presets(t: PtzTarget): Promise<PtzPreset[]> {
    const { value } = await this.run(t, (cam) => call((cb) => cam.getPresets({}, cb)));
    // The client keys by name and parses numbers: tokens and names come back as strings here.
    return Object.values(value ?? {})
      .filter((p) => p?.$?.token !== undefined)
      .map((p) => ({ token: String(p.$.token), name: String(p.name ?? '') }));
  }

  async gotoPreset(t: PtzTarget, token: string): Promise<void> {
    await this.run(t, (cam) => call((cb) => cam.gotoPreset({ preset: xmlText(token) }, cb)));
  }

  /** Saves the current position as a new preset; returns its token. */
  async savePreset(t: PtzTarget, name: string): Promise<string> {
    const { xml } = await this.run(t, (cam) => call((cb) => cam.setPreset({ presetName: xmlText(name) }, cb)));
    const token = /<(?:[\w.-]+:)?PresetToken>([^<]+)</.exec(xml)?.[1];
    if (!token) throw new PtzDeviceError('bad-response', 'the camera saved the preset without giving its token');
    return token.trim();
  }

  async removePreset(t: PtzTarget, token: string): Promise<void> {
    await this.run(t, (cam) => call((cb) => cam.removePreset({ presetToken: xmlText(token) }, cb)));
  }

  async home(t: PtzTarget): Promise<void> {
    await this.run(t, (cam) => call((cb) => cam.gotoHomePosition({}, cb)));
  }

  async status(t: PtzTarget): Promise<PtzStatus> {
    const { value } = await this.run(t, (cam) => call<Parameters<Parameters<OnvifPtzCam['getStatus']>[1]>[1]>((cb) => cam.getStatus({}, cb)));
    const moving = [value.moveStatus?.panTilt, value.moveStatus?.zoom].some((s) => String(s ?? '').toUpperCase() === 'MOVING');
    return { pan: Number(value.position.x) || 0, tilt: Number(value.position.y) || 0, zoom: Number(value.position.zoom) || 0, moving };
  }

  /** Runs one PTZ request on the camera's connected client; a failure drops the client, so the next call reconnects. */
  private async run<T>(t: PtzTarget, op: (cam: OnvifPtzCam) => Promise<T>): Promise<T> {
    const entry = this.client(t);
    try {
      const cam = await entry.cam;
      return await op(cam);
    } catch (err) {
      if (this.clients.get(t.cameraId) === entry) this.clients.delete(t.cameraId);
      throw this.explain(err as Error & { code?: string }, entry);
    }
  }

  private client(t: PtzTarget): Entry {
    const key = createHash('sha256').update(JSON.stringify([t.xaddr, t.username ?? '', t.password ?? ''])).digest('hex');
    const known = this.clients.get(t.cameraId);
    if (known && known.key === key) {
      known.lastUsed = Date.now();
      return known;
    }
    const cam = newOnvifCam<OnvifPtzCam>(t, this.o.timeoutMs);
    const entry: Entry = { key, lastUsed: Date.now(), last: {}, cam: Promise.resolve(cam) };
    cam.on('rawResponse', (xml, status) => {
      entry.last = { status, body: xml.slice(0, 2000) };
    });
    entry.cam = call<void>((cb) => cam.connect((err) => cb(err, undefined))).then(() => {
      if (!cam.uri?.ptz) throw new PtzRefusedError('the camera does not offer the ONVIF PTZ service');
      return cam;
    });
    entry.cam.catch(() => undefined); // awaited by run(); this only keeps an early failure from being unhandled
    this.clients.set(t.cameraId, entry);
    return entry;
  }

  private explain(err: Error & { code?: string }, entry: Entry): Error {
    if (err instanceof HttpError) return err;
    const body = entry.last.body ?? '';
    // An ONVIF fault about the request itself is the caller's problem (409/404), not the camera being down.
    if (entry.last.status && entry.last.status >= 400 && /<(?:[\w.-]+:)?Fault\b/.test(body)) {
      const sub = /ter:(NoToken|NoEntity|PresetExist|TooManyPresets|InvalidPresetName|NoProfile|NoPTZProfile|NotAuthorized)/.exec(body)?.[1];
      if (sub === 'NoToken' || sub === 'NoEntity') return new PtzRefusedError('no such preset on the camera', 404);
      if (sub === 'PresetExist') return new PtzRefusedError('the camera has a preset of this name');
      if (sub === 'TooManyPresets') return new PtzRefusedError('the camera has no room for another preset');
      if (sub === 'InvalidPresetName') return new PtzRefusedError('the camera refuses this preset name');
    }
    const c = classify(err, entry.last.status, entry.last.body?.slice(0, 200));
    return new PtzDeviceError(c.kind, c.message);
  }

  private sweep(): void {
    const cutoff = Date.now() - this.o.idleMs;
    for (const [id, e] of this.clients) if (e.lastUsed < cutoff) this.clients.delete(id);
  }
}
