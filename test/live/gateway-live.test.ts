// The gateway end to end over HTTP: simulated RTSP camera → relay → /live playlist and segments, with org scope,
// status recorded on the camera, audit of views, and no credentials anywhere in what is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUnit, RelayInfo } from '../../server/contracts/api';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

// Simulator indexes reserved for this file (each index is its own loopback address).
const LIVE_INDEX = 3100;
const OFFLINE_INDEX = 3101;

describe('live HLS through the gateway', () => {
  let t: TestApp;
  let county: Login, chengguan: Login;
  let live: SimCamera, offline: SimCamera;
  let liveId: number, offlineId: number;

  beforeAll(async () => {
    t = await buildTestApp({ media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 2, segmentFormat: 'mpegts' } });
    [county, chengguan] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.chengguan)]);
    const dongcheng = (await t.app.repos.orgUnits.findByCode('339901002'))!;
    const add = async (index: number) => {
      const spec = planCamera({ index, name: `测试摄像机${index}`, network: 'skynet', orgUnitCode: dongcheng.code });
      const cam = await startCamera(spec);
      const id = await t.app.repos.cameras.insert({
        network: 'skynet', externalId: `TEST${index}`, name: spec.name, orgUnitId: dongcheng.id, sourceKind: 'rtsp',
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      return [cam, id] as const;
    };
    [live, liveId] = await add(LIVE_INDEX);
    [offline, offlineId] = await add(OFFLINE_INDEX);
    offline.setFault({ kind: 'offline' });
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([live.close(), offline.close()]);
  });

  it('serves a playable live playlist and MPEG-TS segments to a county operator', async () => {
    const res = await t.app.inject({ url: `/live/${liveId}/index.m3u8`, headers: { cookie: county.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/vnd.apple.mpegurl');
    expect(res.body).toMatch(/^#EXTM3U/);
    expect(res.body).not.toMatch(/rtsp:|Sim-\d+-pass|admin/);
    const segments = res.body.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segments.length).toBeGreaterThan(0);
    const seg = await t.app.inject({ url: `/live/${liveId}/${segments[0]}`, headers: { cookie: county.cookie } });
    expect(seg.statusCode).toBe(200);
    expect(seg.rawPayload[0]).toBe(0x47); // MPEG-TS sync byte
    expect(seg.rawPayload.length % 188).toBe(0);
  });

  it('refuses segment names the packager never makes (400) before asking the relay; an unknown good one is 404', async () => {
    const get = (name: string) => t.app.inject({ url: `/live/${liveId}/${name}`, headers: { cookie: county.cookie } });
    for (const name of ['s1-1.aac', 'audio.aac', 'x.ts', 's1-1.mp4', 'init-1.m4s', 'init-x.mp4', 's1-1.ts.ts', '..%2Fs1-1.ts', `s${'9'.repeat(11)}-1.ts`]) {
      expect((await get(name)).statusCode, name).toBe(400);
    }
    expect((await get('s999999-1.ts')).statusCode).toBe(404);
    expect((await get('init-999999.mp4')).statusCode).toBe(404);
  });

  it('records the camera online with its codec, shows the relay, and audits one view per viewer', async () => {
    for (let i = 0; i < 3; i++) await t.app.inject({ url: `/live/${liveId}/index.m3u8`, headers: { cookie: county.cookie } });
    await expect.poll(async () => (await t.app.repos.cameras.byId(liveId))!.status).toBe('online');
    const camera = await t.app.repos.cameras.byId(liveId);
    expect(camera).toMatchObject({ codec: 'h264', width: 1280, height: 720 });
    const relays = (await t.app.inject({ url: '/api/live/relays', headers: county.headers })).json<RelayInfo[]>();
    expect(relays.find((r) => r.cameraId === liveId)).toMatchObject({ cameraName: '测试摄像机3100', codec: 'h264', viewers: 1 });
    const views = (await t.app.repos.audit.recent(50, 'live.view')).filter((a) => a.targetId === String(liveId));
    expect(views).toHaveLength(1);
  });

  it('leaves the camera online when its relay stops for lack of viewers', async () => {
    await expect.poll(async () => (await t.app.repos.cameras.byId(liveId))!.status).toBe('online');
    t.app.relays.stop(liveId);
    // A round trip through the database queue after the stop: any status write it caused has landed by then.
    await t.app.repos.cameras.count();
    expect((await t.app.repos.cameras.byId(liveId))!.status).toBe('online');
    const again = await t.app.inject({ url: `/live/${liveId}/index.m3u8`, headers: { cookie: county.cookie } });
    expect(again.statusCode).toBe(200);
  });

  it('refuses viewers outside the camera’s area and anonymous ones, without starting anything', async () => {
    const other = await t.app.inject({ url: `/live/${liveId}/index.m3u8`, headers: { cookie: chengguan.cookie } });
    expect(other.statusCode).toBe(404);
    const anon = await t.app.inject({ url: `/live/${liveId}/index.m3u8` });
    expect(anon.statusCode).toBe(401);
    const seg = await t.app.inject({ url: `/live/${liveId}/s1-0.ts`, headers: { cookie: chengguan.cookie } });
    expect(seg.statusCode).toBe(404);
    const bad = await t.app.inject({ url: `/live/${liveId}/..%2f..%2fetc%2fpasswd`, headers: { cookie: county.cookie } });
    expect(bad.statusCode).toBe(400);
    // chengguan's relay list does not include a dongcheng camera
    const list = (await t.app.inject({ url: '/api/live/relays', headers: chengguan.headers })).json<RelayInfo[]>();
    expect(list).toEqual([]);
  });

  it('answers an offline camera with 502 and the reason, and records it on the camera', async () => {
    const res = await t.app.inject({ url: `/live/${offlineId}/index.m3u8`, headers: { cookie: county.cookie } });
    expect(res.statusCode).toBe(502);
    expect(res.json().message).toMatch(/refused/);
    expect(res.body).not.toMatch(/rtsp:|127\.0\.|pass/);
    await expect.poll(async () => (await t.app.repos.cameras.byId(offlineId))!.status).toBe('offline');
    expect((await t.app.repos.cameras.byId(offlineId))!.statusReason).toBe('refused');
  });

  it('answers 503 when the relay cap is reached', async () => {
    // maxRelays is 2 and two relays exist (live + the failing one, which keeps retrying): a third camera is refused.
    const root = (await t.app.inject({ url: '/api/org/units', headers: county.headers })).json<OrgUnit[]>()[0];
    const third = (await t.app.repos.cameras.list(`/${root.id}/`, { limit: 1 })).items[0];
    const res = await t.app.inject({ url: `/live/${third.id}/index.m3u8`, headers: { cookie: county.cookie } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
  });
});
