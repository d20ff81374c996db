// A simulated dome through the `onvif` npm client (a third-party peer): continuous move integrates a position over
// time, Stop, presets (list, save with a name that needs escaping, go to, remove), home; and the picture follows
// the head: RTP carries another view's key frame once the pan crosses into its sector.
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { loadFixture } from '../../scripts/simulator/fixtures';
import { RtspTestClient, until } from './rtsp-client';

type Cb<T> = (err: Error | null, v: T, xml?: string) => void;
type Status = { position: { x: number; y: number; zoom: number }; moveStatus: { panTilt: string } };
type Presets = Record<string, { $: { token: string }; name: string }>;
interface CamLike {
  getPresets(cb: Cb<Record<string, { $: { token: string }; name: string }>>): void;
  continuousMove(opts: { x: number; y: number; zoom: number; timeout?: number }, cb: Cb<unknown>): void;
  stop(opts: object, cb: Cb<unknown>): void;
  gotoPreset(opts: { preset: string }, cb: Cb<unknown>): void;
  gotoHomePosition(opts: object, cb: Cb<unknown>): void;
  setPreset(opts: { presetName: string; presetToken?: string }, cb: Cb<unknown>): void;
  removePreset(opts: { presetToken: string }, cb: Cb<unknown>): void;
  getStatus(opts: object, cb: Cb<{ position: { x: number; y: number; zoom: number }; moveStatus: { panTilt: string } }>): void;
}
const { Cam } = createRequire(import.meta.url)('onvif') as {
  Cam: new (o: Record<string, unknown>, cb: (this: CamLike, err: Error | null) => void) => CamLike;
};

const call = <T>(fn: (cb: Cb<T>) => void) =>
  new Promise<{ v: T; xml: string }>((resolve, reject) => fn((err, v, xml) => (err ? reject(err) : resolve({ v, xml: xml ?? '' }))));

// This file's own range: 1150–1159.
let dome: SimCamera;
let c: CamLike;
beforeAll(async () => {
  dome = await startCamera(planCamera({ index: 1150, name: '水库云台', network: 'skynet', orgUnitCode: '339901001', ptz: true }));
  expect(dome.spec.fixture).toBe('h264'); // the views exist for the default fixture
  c = await new Promise<CamLike>((resolve, reject) => {
    new Cam({ hostname: dome.spec.host, port: dome.spec.onvifPort, username: dome.spec.username, password: dome.spec.password, timeout: 10_000 },
      function (err) { if (err) reject(err); else resolve(this); });
  });
});
afterAll(async () => {
  await dome?.close();
});

describe('simulated dome (ONVIF PTZ)', () => {
  it('a continuous move keeps moving until Stop, and the position stays where it stopped', async () => {
    await call((cb) => c.gotoHomePosition({}, cb));
    await call((cb) => c.continuousMove({ x: 0.5, y: -0.5, zoom: 0 }, cb));
    expect((await call<Status>((cb) => c.getStatus({}, cb))).v.moveStatus.panTilt).toBe('MOVING');
    expect(await until(() => dome.stats().ptz!.pan > 0.05)).toBe(true);
    await call((cb) => c.stop({}, cb));
    const stopped = (await call<Status>((cb) => c.getStatus({}, cb))).v;
    expect(stopped.moveStatus.panTilt).toBe('IDLE');
    expect(Number(stopped.position.x)).toBeGreaterThan(0.05);
    expect(Number(stopped.position.y)).toBeLessThan(-0.05);
    const again = (await call<Status>((cb) => c.getStatus({}, cb))).v;
    expect(Number(again.position.x)).toBeCloseTo(Number(stopped.position.x), 3);
    expect(dome.stats().ptzStops).toBeGreaterThan(0);
  });

  it('a move with a Timeout stops by itself', async () => {
    await call((cb) => c.gotoHomePosition({}, cb));
    await call((cb) => c.continuousMove({ x: 1, y: 0, zoom: 0, timeout: 200 }, cb));
    expect(await until(() => !dome.stats().ptz!.moving)).toBe(true);
    const pan = dome.stats().ptz!.pan;
    expect(pan).toBeGreaterThan(0.05);
    expect(pan).toBeLessThan(0.2); // 0.2 s at 0.5/s, however late the test looks
  });

  it('presets: save under a name needing escaping, list, go to, overwrite, remove; home', async () => {
    await call((cb) => c.gotoHomePosition({}, cb));
    await call((cb) => c.continuousMove({ x: -1, y: 0, zoom: 1 }, cb));
    expect(await until(() => dome.stats().ptz!.pan < -0.1)).toBe(true);
    await call((cb) => c.stop({}, cb));
    const here = dome.stats().ptz!;
    // The onvif package puts the name into the XML as it is: the caller escapes it (server/ptz does).
    const saved = await call((cb) => c.setPreset({ presetName: '溢洪道 &amp; &lt;闸门&gt;' }, cb));
    const token = /PresetToken>([^<]+)</.exec(saved.xml)?.[1];
    expect(token).toBe('4');
    const list = (await call<Presets>((cb) => c.getPresets(cb))).v;
    expect(Object.keys(list)).toContain('溢洪道 & <闸门>');
    expect(String(list['溢洪道 & <闸门>'].$.token)).toBe('4'); // the client parses numbers
    await expect(call((cb) => c.setPreset({ presetName: '全景' }, cb))).rejects.toThrow(/PresetExist|name/i);

    await call((cb) => c.gotoHomePosition({}, cb));
    expect(dome.stats().ptz!.pan).toBe(0);
    await call((cb) => c.gotoPreset({ preset: token! }, cb));
    expect(dome.stats().ptz!.pan).toBeCloseTo(here.pan, 2);
    expect(dome.stats().ptz!.zoom).toBeCloseTo(here.zoom, 2);

    await call((cb) => c.removePreset({ presetToken: token! }, cb));
    expect(Object.keys((await call<Presets>((cb) => c.getPresets(cb))).v)).not.toContain('溢洪道 & <闸门>');
    await expect(call((cb) => c.removePreset({ presetToken: token! }, cb))).rejects.toThrow(/NoToken|No such preset/i);
    await expect(call((cb) => c.gotoPreset({ preset: '999' }, cb))).rejects.toThrow(/NoEntity|No such preset/i);
  });

  it('the picture follows the head: panning right switches RTP to the next view, starting with its IDR', async () => {
    await call((cb) => c.gotoHomePosition({}, cb));
    expect(dome.stats().ptz!.view).toBe(2);
    const idrOf = (name: string) => {
      const ps = loadFixture(name).video.frames[0].payloads;
      return ps.reduce((a, b) => (b.data.length > a.data.length ? b : a)).data; // the slice, not the shared SPS/PPS
    };
    const home = idrOf('ptz-2');
    const right = idrOf('ptz-3');
    const client = await RtspTestClient.open(dome.rtspUrl, { username: dome.spec.username, password: dome.spec.password });
    try {
      await client.play();
      const seen = (b: Buffer) => client.packets.some((p) => p.channel === 0 && p.payload.equals(b));
      expect(await until(() => seen(home))).toBe(true);
      expect(seen(right)).toBe(false);
      await call((cb) => c.continuousMove({ x: 1, y: 0, zoom: 0 }, cb));
      expect(await until(() => dome.stats().ptz!.view === 3)).toBe(true);
      await call((cb) => c.stop({}, cb));
      expect(await until(() => seen(right))).toBe(true);
    } finally {
      client.close();
    }
    // The snapshot shows the current view too.
    const snap = await fetch(dome.snapshotUrl, { headers: { Authorization: `Basic ${Buffer.from(`${dome.spec.username}:${dome.spec.password}`).toString('base64')}` } });
    expect(Buffer.from(await snap.arrayBuffer()).equals(loadFixture('ptz-3').jpeg!)).toBe(true);
  });
});
