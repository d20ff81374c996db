// The `onvif` npm client (a third-party peer) against a simulated camera.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { MANUFACTURER } from '../../scripts/simulator/onvif/device';

// onvif is CommonJS without usable ESM types for this use; keep the surface we call typed here.
interface CamLike {
  getDeviceInformation(cb: (err: Error | null, info: Record<string, unknown>) => void): void;
  getProfiles(cb: (err: Error | null, profiles: Array<Record<string, any>>) => void): void;
  getStreamUri(opts: { protocol: string }, cb: (err: Error | null, uri: { uri: string }) => void): void;
  getSnapshotUri(cb: (err: Error | null, uri: { uri: string }) => void): void;
  getPresets(cb: (err: Error | null, presets: Record<string, unknown>) => void): void;
  getNodes(cb: (err: Error | null, nodes: Record<string, unknown>) => void): void;
  continuousMove(opts: { x: number; y: number; zoom: number }, cb: (err: Error | null, v?: unknown) => void): void;
  stop(opts: object, cb: (err: Error | null, v?: unknown) => void): void;
  gotoPreset(opts: { preset: string }, cb: (err: Error | null, v?: unknown) => void): void;
  getStatus(opts: object, cb: (err: Error | null, status: Record<string, any>) => void): void;
  getSystemDateAndTime(cb: (err: Error | null, date: Date) => void): void;
  videoSources: unknown[];
  profiles: unknown[];
  uri: Record<string, unknown>;
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (o: Record<string, unknown>, cb: (this: CamLike, err: Error | null) => void) => CamLike;
};

function connect(cam: SimCamera, password = cam.spec.password, extra: Record<string, unknown> = {}): Promise<CamLike> {
  return new Promise((resolve, reject) => {
    new Cam({ hostname: cam.spec.host, port: cam.spec.onvifPort, username: cam.spec.username, password, timeout: 10_000, ...extra }, function (err) {
      if (err) reject(err);
      else resolve(this);
    });
  });
}

const call = <T>(fn: (cb: (err: Error | null, v: T) => void) => void) =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

// This file's own range: 1100–1149.
let plain: SimCamera;
let ptz: SimCamera;
let aac: SimCamera;
beforeAll(async () => {
  plain = await startCamera(planCamera({ index: 1100, name: '城关镇主路口', network: 'skynet', orgUnitCode: '339901001' }));
  ptz = await startCamera(planCamera({ index: 1101, name: '东城小区南门', network: 'traffic', orgUnitCode: '339901002', ptz: true }));
  aac = await startCamera(planCamera({ index: 1105, name: 'aac', network: 'huiyan', orgUnitCode: '339901003' }));
});
afterAll(async () => {
  await Promise.all([plain, ptz, aac].filter(Boolean).map((c) => c.close()));
});

describe('ONVIF with the onvif npm client', () => {
  it('connects, reads device information, profiles, stream and snapshot URIs', async () => {
    const c = await connect(plain);
    const info = await call<Record<string, unknown>>((cb) => c.getDeviceInformation(cb));
    expect(info).toMatchObject({ manufacturer: MANUFACTURER, serialNumber: plain.spec.id });
    expect(String(info.model)).toMatch(/H264-720P/);
    expect(info.firmwareVersion).toBeTruthy();
    expect(info.hardwareId).toBeTruthy();

    const profiles = await call<Array<Record<string, any>>>((cb) => c.getProfiles(cb));
    expect(profiles).toHaveLength(2); // main Profile_1 and the sub-stream's Profile_2 (sub-stream.test.ts)
    const enc = profiles[0].videoEncoderConfiguration;
    expect(enc).toMatchObject({ encoding: 'H264', resolution: { width: 1280, height: 720 } });
    expect(enc.rateControl.frameRateLimit).toBe(25);
    expect(enc.rateControl.bitrateLimit).toBeGreaterThan(1000);
    expect(profiles[0].videoSourceConfiguration.sourceToken).toBe('VideoSource_1');
    expect(c.videoSources).toHaveLength(1);

    const stream = await call<{ uri: string }>((cb) => c.getStreamUri({ protocol: 'RTSP' }, cb));
    expect(stream.uri).toBe(plain.rtspUrl);
    expect(stream.uri).not.toMatch(/@/); // never credentials in the URI
    const snap = await call<{ uri: string }>((cb) => c.getSnapshotUri(cb));
    expect(snap.uri).toBe(plain.snapshotUrl);
  });

  it('the snapshot URI serves a JPEG behind HTTP auth', async () => {
    const anon = await fetch(plain.snapshotUrl);
    expect(anon.status).toBe(401);
    expect(anon.headers.get('www-authenticate')).toMatch(/Digest/);
    const basic = 'Basic ' + Buffer.from(`${plain.spec.username}:${plain.spec.password}`).toString('base64');
    const res = await fetch(plain.snapshotUrl, { headers: { Authorization: basic } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('describes AAC audio in the profile of an AAC camera', async () => {
    const c = await connect(aac);
    const profiles = await call<Array<Record<string, any>>>((cb) => c.getProfiles(cb));
    expect(profiles[0].audioEncoderConfiguration).toMatchObject({ encoding: 'AAC', sampleRate: 32 });
    expect(profiles[0].videoEncoderConfiguration.resolution).toEqual({ width: 640, height: 360 });
  });

  it('HTTP Digest works instead of WS-Security (useWSSecurity: false), and rejects a wrong password', async () => {
    const before = plain.stats().auth.digest;
    const c = await connect(plain, plain.spec.password, { useWSSecurity: false });
    const info = await call<Record<string, unknown>>((cb) => c.getDeviceInformation(cb));
    expect(info.serialNumber).toBe(plain.spec.id);
    expect(plain.stats().auth.digest).toBeGreaterThan(before);
    await expect(connect(plain, 'wrong', { useWSSecurity: false })).rejects.toThrow(/Digest authentication failed/);
  });

  it('a wrong password fails to connect (NotAuthorized)', async () => {
    await expect(connect(plain, 'wrong')).rejects.toThrow(/NotAuthorized|not Authorized/i);
  });

  it('PTZ: nodes, presets, continuous move, stop, goto preset', async () => {
    const c = await connect(ptz);
    expect(c.uri.ptz).toBeTruthy();
    const nodes = await call<Record<string, unknown>>((cb) => c.getNodes(cb));
    expect(Object.keys(nodes)).toEqual(['PTZNode_1']);
    const presets = await call<Record<string, unknown>>((cb) => c.getPresets(cb));
    expect(Object.keys(presets)).toHaveLength(3);
    await call<unknown>((cb) => c.continuousMove({ x: 0.5, y: 0, zoom: 0 }, cb));
    const moving = await call<Record<string, any>>((cb) => c.getStatus({}, cb));
    expect(moving.moveStatus.panTilt).toBe('MOVING');
    await call<unknown>((cb) => c.stop({}, cb));
    await call<unknown>((cb) => c.gotoPreset({ preset: '2' }, cb));
    const status = await call<Record<string, any>>((cb) => c.getStatus({}, cb));
    expect(status.moveStatus.panTilt).toBe('IDLE');
    expect(status.position.x).toBeCloseTo(0.5);
    expect(status.position.zoom).toBeCloseTo(0.3);
    expect(ptz.stats().ptzMoves + ptz.stats().ptzStops).toBeGreaterThanOrEqual(3);
  });

  it('a camera without PTZ does not advertise it and refuses PTZ calls', async () => {
    const c = await connect(plain);
    expect(c.uri.ptz).toBeUndefined();
    const res = await fetch(plain.onvifXAddr.replace('device_service', 'ptz_service'), {
      method: 'POST', headers: { 'Content-Type': 'application/soap+xml' },
      body: '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetNodes xmlns="http://www.onvif.org/ver20/ptz/wsdl"/></s:Body></s:Envelope>',
    });
    expect(res.status).toBe(500);
    expect(await res.text()).toMatch(/ActionNotSupported/);
  });

  it('a camera without a password lets everyone in (ONVIF, snapshot, RTSP)', async () => {
    const open = await startCamera({ ...planCamera({ index: 1110, name: 'open', network: 'x', orgUnitCode: 'y' }), password: '' });
    try {
      const c = await new Promise<CamLike>((resolve, reject) => {
        new Cam({ hostname: open.spec.host, port: open.spec.onvifPort, timeout: 10_000 }, function (err) {
          if (err) reject(err);
          else resolve(this);
        });
      });
      const info = await call<Record<string, unknown>>((cb) => c.getDeviceInformation(cb));
      expect(info.serialNumber).toBe(open.spec.id);
      expect((await fetch(open.snapshotUrl)).status).toBe(200);
      expect(open.stats().auth.open).toBeGreaterThan(0);
      expect(open.stats().auth.rejected).toBe(0);
    } finally {
      await open.close();
    }
  });

  it('unauthenticated SOAP calls other than GetSystemDateAndTime are refused', async () => {
    const post = (op: string) => fetch(plain.onvifXAddr, {
      method: 'POST', headers: { 'Content-Type': 'application/soap+xml' },
      body: `<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><${op} xmlns="http://www.onvif.org/ver10/device/wsdl"/></s:Body></s:Envelope>`,
    });
    const clock = await post('GetSystemDateAndTime');
    expect(clock.status).toBe(200);
    expect(await clock.text()).toMatch(/<tt:UTCDateTime>/);
    const info = await post('GetDeviceInformation');
    expect(info.status).toBe(401);
    expect(await info.text()).toMatch(/NotAuthorized/);
  });
});
