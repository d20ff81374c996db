// Sub-streams (子码流) on the discovery side, through the real API against simulated cameras (this file's simulator
// indexes: 3920–3939): ONVIF discovery finds the smaller second profile and the add stores it, re-discovery
// updates or clears it; catalogue import/export carries `subStreamUrl`; RTSP add-by-URL takes and probes one;
// the Camera API says `hasSubStream` and nothing more; the demo seed gives every camera its simulator /stream2.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, CameraPage } from '../../server/contracts/api';
import type { DiscoveredProfile, DiscoveryJob, DiscoveryJobDetail, ImportResult } from '../../server/contracts/catalogue';
import { DEMO_PLAN, generateCounty } from '../../server/demo/county';
import { subProfileOf } from '../../server/discovery/onvif/interrogate';
import { planCamera, rtspUrl, type SimCamera, startCamera, subStreamUrl } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, type Login, TEST_SIMULATOR_NET, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: Login;
let hd: SimCamera; // 3926: h264, 1280x720 main, 640x360 h264-sub on /stream2
let small: SimCamera; // 3935 % 25 = 10 → h264-bframes, 640x360: its Profile_2 is the same size
let rtspCam: SimCamera; // 3921: another 720p camera for RTSP add-by-URL

beforeAll(async () => {
  const plan = (index: number) => planCamera({ index, name: `子码流-${index}`, network: 'skynet', orgUnitCode: '339901001' });
  [hd, small, rtspCam] = await Promise.all([plan(3926), plan(3935), plan(3921)].map((p) => startCamera(p)));
  t = await buildTestApp();
  admin = await login(t.app, ...DEMO.admin);
});
afterAll(async () => {
  await t?.close();
  await Promise.all([hd, small, rtspCam].filter(Boolean).map((c) => c.close()));
});

const creds = (c: SimCamera) => ({ username: c.spec.username, password: c.spec.password });

/** One job per camera: a job has one set of credentials and every simulated camera its own password. */
async function runJob(cam: SimCamera): Promise<DiscoveryJobDetail> {
  const res = await t.app.inject({
    method: 'POST', url: '/api/discovery/jobs', headers: admin.headers,
    payload: { targets: [cam.spec.host], timeoutMs: 3000, credentials: creds(cam) },
  });
  expect(res.statusCode, res.body).toBe(202);
  const job = res.json<DiscoveryJob>();
  await t.app.discovery.settled(job.id);
  return (await t.app.inject({ url: `/api/discovery/jobs/${job.id}`, headers: { cookie: admin.cookie } })).json<DiscoveryJobDetail>();
}

async function addAll(detail: DiscoveryJobDetail, orgUnitId: number) {
  const res = await t.app.inject({
    method: 'POST', url: `/api/discovery/jobs/${detail.job.id}/add`, headers: admin.headers,
    payload: { items: detail.results.map((r) => ({ resultId: r.id, network: 'skynet', orgUnitId })) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { added: Array<{ resultId: number; cameraId: number }>; updated: Array<{ resultId: number; cameraId: number }> };
}

const getCamera = async (id: number) => (await t.app.inject({ url: `/api/cameras/${id}`, headers: { cookie: admin.cookie } })).json<Camera>();
const subUrlOf = async (id: number) =>
  (await t.app.db.get<{ url: string | null }>('SELECT sub_stream_url AS url FROM cameras WHERE id = ?', [id]))?.url ?? null;

describe('which profile is the sub-stream', () => {
  const p = (token: string, width: number | null, height: number | null): DiscoveredProfile =>
    ({ token, name: token, encoding: 'H264', width, height, fps: 25, audio: null });
  it('the first later profile with fewer pixels than the first; none when same size, unknown or alone', () => {
    expect(subProfileOf([p('a', 1920, 1080), p('b', 1920, 1080), p('c', 704, 576), p('d', 640, 360)])?.token).toBe('c');
    expect(subProfileOf([p('a', 640, 360), p('b', 640, 360)])).toBeUndefined();
    expect(subProfileOf([p('a', null, null), p('b', 640, 360)])).toBeUndefined();
    expect(subProfileOf([p('a', 1280, 720), p('b', null, 360)])).toBeUndefined();
    expect(subProfileOf([p('a', 1280, 720)])).toBeUndefined();
    expect(subProfileOf([])).toBeUndefined();
  });
});

describe('ONVIF discovery records the sub-stream', () => {
  let first: DiscoveryJobDetail[];
  const ids: Record<string, number> = {};

  it('a 720p camera’s smaller Profile_2 is its sub-stream; a same-size second profile is not', async () => {
    first = [await runJob(hd), await runJob(small)];
    const by = Object.fromEntries(first.flatMap((d) => d.results).map((r) => [r.address, r]));
    expect(by[hd.spec.host]).toMatchObject({ state: 'found', streamUri: hd.rtspUrl, subStreamUri: hd.subStreamUrl });
    expect(by[hd.spec.host].profiles.map((p) => [p.token, p.width, p.height])).toEqual([['Profile_1', 1280, 720], ['Profile_2', 640, 360]]);
    expect(by[small.spec.host]).toMatchObject({ state: 'found', streamUri: small.rtspUrl, subStreamUri: null });
    expect(JSON.stringify(first)).not.toContain(hd.spec.password);
  });

  it('adding the devices stores it: hasSubStream, and the sub source is /stream2 with the camera’s credentials', async () => {
    const unit = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    for (const [i, cam] of [hd, small].entries()) {
      const { added } = await addAll(first[i], unit.id);
      expect(added).toHaveLength(1);
      ids[cam.spec.host] = added[0].cameraId;
    }
    expect(await getCamera(ids[hd.spec.host])).toMatchObject({ hasSubStream: true, width: 1280 });
    expect(await getCamera(ids[small.spec.host])).toMatchObject({ hasSubStream: false });
    expect(await t.app.repos.cameras.source(ids[hd.spec.host], 'sub')).toMatchObject({ url: hd.subStreamUrl, ...creds(hd) });
    expect(await t.app.repos.cameras.source(ids[small.spec.host], 'sub')).toMatchObject({ url: small.rtspUrl });
  });

  it('re-discovery puts back what the device offers now: a stale sub-stream is replaced, one it no longer has is cleared', async () => {
    await t.app.db.run("UPDATE cameras SET sub_stream_url = 'rtsp://127.0.0.1:8554/stale' WHERE id IN (?, ?)", [ids[hd.spec.host], ids[small.spec.host]]);
    const unit = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    for (const cam of [hd, small]) {
      const again = await runJob(cam);
      expect(again.results[0]).toMatchObject({ state: 'found', cameraId: ids[cam.spec.host] });
      const { added, updated } = await addAll(again, unit.id);
      expect(added).toEqual([]);
      expect(updated).toEqual([{ resultId: again.results[0].id, cameraId: ids[cam.spec.host] }]);
    }
    expect(await subUrlOf(ids[hd.spec.host])).toBe(hd.subStreamUrl);
    expect(await subUrlOf(ids[small.spec.host])).toBeNull();
  });
});

describe('catalogue import/export: subStreamUrl', () => {
  const HEADER = '设备编码,设备名称,所属网络,组织路径,取流地址,子码流地址';
  const post = async (content: string, extra: Record<string, unknown> = {}) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/catalogue/import', headers: admin.headers, payload: { format: 'csv', content, ...extra } });
    return { status: res.statusCode, body: res.json() as ImportResult & { field?: string } };
  };
  const find = async (externalId: string) =>
    (await t.app.inject({ url: `/api/cameras?q=${externalId}`, headers: { cookie: admin.cookie } })).json<CameraPage>().items.find((c) => c.externalId === externalId)!;

  it('imports it under its Chinese header, stores it without touching the main URL, and says hasSubStream', async () => {
    const { body } = await post([HEADER,
      'SUB-001,子码流一号,天网,安澜县/城关镇,rtsp://10.9.1.1:554/ch1/main,rtsp://10.9.1.1:554/ch1/sub',
      'SUB-002,子码流二号,天网,安澜县/城关镇,rtsp://10.9.1.2:554/ch1/main,',
    ].join('\n'));
    expect(body).toMatchObject({ committed: true, summary: { added: 2, rejected: 0 }, errors: [] });
    expect(body.columns).toMatchObject({ 子码流地址: 'subStreamUrl' });
    const one = await find('SUB-001');
    expect(one).toMatchObject({ hasSubStream: true, endpoint: 'rtsp://10.9.1.1:554/ch1/main' });
    expect(JSON.stringify(one)).not.toContain('/ch1/sub'); // the API says whether, never where
    expect(await subUrlOf(one.id)).toBe('rtsp://10.9.1.1:554/ch1/sub');
    expect(await find('SUB-002')).toMatchObject({ hasSubStream: false });
  });

  it('rejects a sub-stream URL with credentials or another scheme, naming the row and field; the password is not echoed', async () => {
    const { body } = await post([HEADER,
      'SUB-003,坏一,天网,安澜县/城关镇,rtsp://10.9.1.3/main,rtsp://admin:Sub-Secret-9@10.9.1.3/sub',
      'SUB-004,坏二,天网,安澜县/城关镇,rtsp://10.9.1.4/main,http://10.9.1.4/sub',
      'SUB-005,坏三,天网,安澜县/城关镇,rtsp://10.9.1.5/main,not a url',
    ].join('\n'));
    expect(body.summary).toMatchObject({ added: 0, rejected: 3 });
    expect(body.errors.map((e) => [e.row, e.field])).toEqual([[1, 'subStreamUrl'], [2, 'subStreamUrl'], [3, 'subStreamUrl']]);
    expect(body.errors[0].message).toMatch(/user:password/);
    expect(body.errors[1].message).toMatch(/rtsp:\/\//);
    expect(JSON.stringify(body)).not.toContain('Sub-Secret-9');
  });

  it('accepts the English aliases; a file of only sub-streams updates existing cameras; an empty cell clears one', async () => {
    const { body } = await post('external_id,network,sub_stream_url\nSUB-002,skynet,rtsp://10.9.1.2:554/ch1/sub\nSUB-001,skynet,\n');
    expect(body).toMatchObject({ summary: { updated: 2, rejected: 0 } });
    expect(await subUrlOf((await find('SUB-002')).id)).toBe('rtsp://10.9.1.2:554/ch1/sub');
    expect(await find('SUB-001')).toMatchObject({ hasSubStream: false });
    const again = await post('externalId,network,substream\nSUB-002,skynet,rtsp://10.9.1.2:554/ch1/sub\n');
    expect(again.body.summary).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('exports it (CSV and JSON) and an export re-imported changes nothing', async () => {
    const csv = await t.app.inject({ url: '/api/catalogue/export?format=csv&network=skynet', headers: { cookie: admin.cookie } });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.replace(/^\uFEFF/, '').split(/\r?\n/);
    expect(lines[0].split(',')).toContain('subStreamUrl');
    expect(lines.find((l) => l.startsWith('SUB-002,'))).toContain('rtsp://10.9.1.2:554/ch1/sub');
    const json = await t.app.inject({ url: '/api/catalogue/export?format=json&network=skynet', headers: { cookie: admin.cookie } });
    const rows = json.json() as Array<{ externalId: string; subStreamUrl: string }>;
    expect(rows.find((r) => r.externalId === 'SUB-002')?.subStreamUrl).toBe('rtsp://10.9.1.2:554/ch1/sub');
    expect(rows.find((r) => r.externalId === 'SUB-001')?.subStreamUrl).toBe('');
    const re = await post(csv.body, { dryRun: true });
    expect(re.body.summary).toMatchObject({ added: 0, updated: 0, rejected: 0 });
  });
});

describe('RTSP add-by-URL with a sub-stream', () => {
  const base = () => ({ url: rtspCam.rtspUrl, credentials: creds(rtspCam), name: 'RTSP子码流', network: 'traffic' });

  it('probes the sub-stream too and stores it; a bad one is a 400 on subStreamUrl and nothing is added', async () => {
    const unit = (await t.app.repos.orgUnits.findByCode('339901001'))!;
    const before = await t.app.repos.cameras.count();
    const post = (extra: Record<string, unknown>) =>
      t.app.inject({ method: 'POST', url: '/api/discovery/rtsp/cameras', headers: admin.headers, payload: { ...base(), orgUnitId: unit.id, ...extra } });

    const withCreds = await post({ subStreamUrl: rtspCam.subStreamUrl.replace('rtsp://', 'rtsp://admin:x@'), externalId: 'rtsp-sub-a' });
    expect(withCreds.json()).toMatchObject({ statusCode: 400, field: 'subStreamUrl' });
    const missing = await post({ subStreamUrl: rtspCam.subStreamUrl.replace('stream2', 'stream9'), externalId: 'rtsp-sub-b' });
    expect(missing.json()).toMatchObject({ statusCode: 400, field: 'subStreamUrl' });
    expect(missing.body).toMatch(/not-found/);
    const notRtsp = await post({ subStreamUrl: 'http://127.0.0.1/x', externalId: 'rtsp-sub-c' });
    expect(notRtsp.json()).toMatchObject({ statusCode: 400, field: 'subStreamUrl' });
    expect(await t.app.repos.cameras.count()).toBe(before);

    const ok = await post({ subStreamUrl: rtspCam.subStreamUrl });
    expect(ok.statusCode, ok.body).toBe(201);
    const { cameraId, probe, subProbe } = ok.json() as { cameraId: number; probe: { video: { width: number } }; subProbe: { ok: boolean; video: { width: number; height: number } } };
    expect(probe.video.width).toBe(1280);
    expect(subProbe).toMatchObject({ ok: true, video: { width: 640, height: 360 } });
    expect(await getCamera(cameraId)).toMatchObject({ hasSubStream: true, sourceKind: 'rtsp' });
    expect(await t.app.repos.cameras.source(cameraId, 'sub')).toMatchObject({ url: rtspCam.subStreamUrl, ...creds(rtspCam) });
  });
});

describe('demo seed and the Camera API', () => {
  it('the 720p demo cameras have their simulator /stream2 as sub-stream (no credentials), and the API says only hasSubStream', async () => {
    const county = generateCounty(DEMO_PLAN);
    const rows = await t.app.db.all<{ id: number; url: string; sub: string | null }>(
      'SELECT id, stream_url AS url, sub_stream_url AS sub FROM cameras WHERE id <= ? ORDER BY id', [county.cameras.length],
    );
    expect(rows).toHaveLength(county.cameras.length);
    for (const cam of county.cameras) {
      const sim = planCamera(cam, TEST_SIMULATOR_NET);
      const row = rows[cam.index]; // camera db id = county index + 1
      // Only a lighter stream is worth a relay of its own: the 640x360 cameras' /stream2 is their main stream again.
      const lighter = sim.subFixture !== sim.fixture;
      expect(row).toMatchObject({ id: cam.index + 1, url: rtspUrl(sim), sub: lighter ? subStreamUrl(sim) : null });
      expect(row.sub ?? '').not.toMatch(/@/);
    }
    const page = (await t.app.inject({ url: '/api/cameras?limit=500', headers: { cookie: admin.cookie } })).json<CameraPage>();
    const demo = page.items.filter((c) => c.id <= county.cameras.length);
    expect(demo.length).toBeGreaterThan(100);
    const lighterIds = new Set(county.cameras.filter((c) => { const sim = planCamera(c, TEST_SIMULATOR_NET); return sim.subFixture !== sim.fixture; }).map((c) => c.index + 1));
    expect(lighterIds.size).toBeGreaterThan(100);
    expect(demo.every((c) => c.hasSubStream === lighterIds.has(c.id))).toBe(true);
    expect(JSON.stringify(page)).not.toContain('/stream2');
    const one = await getCamera(1);
    expect(one.hasSubStream).toBe(true);
    expect(Object.keys(one)).not.toContain('subStreamUrl');
  });
});
