// Interrogating one ONVIF device with the `onvif` npm client: identity (manufacturer, model, firmware, serial),
// media profiles, the RTSP stream URI (and the sub-stream's, 子码流, when a second profile is smaller) and snapshot
// URI, PTZ. Failures come back as one of the kinds the API
// reports (timeout, not-authorized, not-onvif, bad-response, refused, unreachable) with a short message that
// never contains the password.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import type { DiscoveredProfile, DiscoveryFailure } from '../../contracts/catalogue';

// onvif is CommonJS; its bundled types do not cover the callback style used here, so the surface is typed locally.
interface OnvifCam {
  on(event: 'rawResponse', listener: (xml: string, statusCode: number) => void): void;
  connect(cb: (err: Error | null) => void): void;
  getDeviceInformation(cb: (err: Error | null, info: Record<string, string>) => void): void;
  getStreamUri(opts: { protocol: string; profileToken?: string }, cb: (err: Error | null, uri: { uri: string }) => void): void;
  getSnapshotUri(opts: { profileToken?: string }, cb: (err: Error | null, uri: { uri: string }) => void): void;
  profiles?: Array<Record<string, any>>;
  uri?: Record<string, unknown>;
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (options: Record<string, unknown>) => OnvifCam;
};

export interface DeviceTarget {
  /** Device service address, e.g. http://10.1.2.3/onvif/device_service. */
  xaddr: string;
  username?: string;
  password?: string;
  timeoutMs: number;
}

export interface DeviceFacts {
  manufacturer: string | null;
  model: string | null;
  firmware: string | null;
  serial: string | null;
  hardwareId: string | null;
  profiles: DiscoveredProfile[];
  streamUri: string | null;
  /** The stream URI of the sub-stream (子码流): the first later profile with a smaller picture than the first. */
  subStreamUri: string | null;
  snapshotUri: string | null;
  ptz: boolean;
}

export class InterrogationError extends Error {
  constructor(readonly kind: DiscoveryFailure, message: string) {
    super(message);
  }
}

/** Maps the onvif client's errors (and the last HTTP answer) to a failure kind. */
export function classify(err: Error & { code?: string }, lastStatus: number | undefined, lastBody: string | undefined): InterrogationError {
  const msg = err.message ?? String(err);
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new InterrogationError('refused', 'connection refused');
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'].includes(code)) return new InterrogationError('unreachable', `unreachable (${code})`);
  if (/timeout|ETIMEDOUT|ESOCKETTIMEDOUT/i.test(msg + code)) return new InterrogationError('timeout', 'no answer in time');
  if (/NotAuthori[sz]ed|not authori[sz]ed|authentication failed|Unauthori[sz]ed|401/i.test(msg) || lastStatus === 401) {
    return new InterrogationError('not-authorized', 'the device refused the credentials');
  }
  if (lastStatus === 404 || lastStatus === 405 || (lastBody !== undefined && /^\s*<(!doctype html|html)/i.test(lastBody))) {
    return new InterrogationError('not-onvif', `no ONVIF device service here (HTTP ${lastStatus ?? '?'})`);
  }
  if (/Wrong ONVIF SOAP response|Non-whitespace|Unexpected|Invalid|Unclosed|Text data outside/i.test(msg)) {
    return new InterrogationError('bad-response', 'the device answered with something that is not ONVIF SOAP');
  }
  if (['ECONNRESET', 'EPIPE', 'HPE_INVALID_CONSTANT', 'HPE_INVALID_STATUS'].includes(code)) {
    return new InterrogationError(code.startsWith('HPE') ? 'not-onvif' : 'bad-response', `connection broken (${code})`);
  }
  return new InterrogationError('bad-response', msg.replace(/[\r\n]+/g, ' ').slice(0, 200));
}

const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

function profileOf(p: Record<string, any>): DiscoveredProfile {
  const v = p.videoEncoderConfiguration ?? {};
  const a = p.audioEncoderConfiguration;
  const num = (x: unknown) => (x === undefined || x === null || Number.isNaN(Number(x)) ? null : Number(x));
  return {
    token: String(p.$?.token ?? ''),
    name: String(p.name ?? ''),
    encoding: v.encoding ? String(v.encoding) : null,
    width: num(v.resolution?.width),
    height: num(v.resolution?.height),
    fps: num(v.rateControl?.frameRateLimit),
    audio: a?.encoding ? String(a.encoding) : null,
  };
}

/**
 * The sub-stream's profile: the first profile after the main one whose picture is smaller (fewer pixels). A second
 * profile of the same size (or of unknown size) is no lighter to play, so it is not a sub-stream.
 */
export function subProfileOf(profiles: readonly DiscoveredProfile[]): DiscoveredProfile | undefined {
  const main = profiles[0];
  if (!main?.width || !main.height) return undefined;
  const mainPixels = main.width * main.height;
  return profiles.slice(1).find((p) => p.token && p.width && p.height && p.width * p.height < mainPixels);
}

export async function interrogate(target: DeviceTarget): Promise<DeviceFacts> {
  const url = new URL(target.xaddr);
  let lastStatus: number | undefined;
  let lastBody: string | undefined;
  const cam = new Cam({
    hostname: url.hostname,
    port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
    path: url.pathname,
    username: target.username,
    password: target.password,
    timeout: target.timeoutMs,
    autoconnect: false,
    useSecure: url.protocol === 'https:',
  });
  cam.on('rawResponse', (xml, status) => {
    lastStatus = status;
    lastBody = xml.slice(0, 200);
  });
  try {
    await call<void>((cb) => cam.connect((err) => cb(err, undefined)));
    const info = await call<Record<string, string>>((cb) => cam.getDeviceInformation(cb));
    const profiles = (cam.profiles ?? []).map(profileOf);
    const token = profiles[0]?.token || undefined;
    let streamUri: string | null = null;
    let subStreamUri: string | null = null;
    let snapshotUri: string | null = null;
    if (token) {
      streamUri = (await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: token }, cb))).uri ?? null;
      snapshotUri = await call<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: token }, cb)).then((r) => r.uri ?? null, () => null);
      // A device that will not give the sub-stream's URI is still a good device: it just plays the main stream.
      const sub = subProfileOf(profiles);
      if (sub) {
        subStreamUri = await call<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: sub.token }, cb))
          .then((r) => (r.uri && r.uri !== streamUri ? r.uri : null), () => null);
      }
    }
    return {
      manufacturer: info.manufacturer ?? null,
      model: info.model ?? null,
      firmware: info.firmwareVersion ?? null,
      serial: info.serialNumber ?? null,
      hardwareId: info.hardwareId ?? null,
      profiles,
      streamUri,
      subStreamUri,
      snapshotUri,
      ptz: !!cam.uri?.ptz,
    };
  } catch (err) {
    if (err instanceof InterrogationError) throw err;
    throw classify(err as Error & { code?: string }, lastStatus, lastBody);
  }
}

/**
 * Cheap liveness for health checks: GetSystemDateAndTime needs no credentials on any ONVIF device. One POST on a
 * fresh connection that is closed after (`agent: false`): fetch would keep a pooled keep-alive connection per
 * device, and a county checks 100,000 distinct devices a cycle. The answer is read up to 64 KiB.
 */
export function onvifAlive(xaddr: string, timeoutMs: number): Promise<void> {
  const url = new URL(xaddr);
  const body = '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
    '<GetSystemDateAndTime xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>';
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let settled = false;
    const done = (err?: InterrogationError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => done(new InterrogationError('timeout', 'no answer in time')), timeoutMs);
    const req = send(url, {
      method: 'POST', agent: false,
      headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body), Connection: 'close' },
    }, (res) => {
      const status = res.statusCode ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length > 65_536) done(new InterrogationError('bad-response', 'the device answered with more than 64 KiB'));
      });
      res.on('error', (err) => done(classify(err, status, text)));
      res.on('end', () => {
        if (status === 404 || status === 405) done(new InterrogationError('not-onvif', `no ONVIF device service here (HTTP ${status})`));
        else if (!/SystemDateAndTime/.test(text)) done(new InterrogationError('bad-response', `the device answered HTTP ${status} without a clock`));
        else done();
      });
    });
    req.on('error', (err) => done(classify(err as Error & { code?: string }, undefined, undefined)));
    req.end(body);
  });
}
