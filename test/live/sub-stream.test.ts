// Sub-streams (子码流) through the gateway: /live/:id/sub/… plays the camera's sub-stream as a relay of its own
// beside the main stream; a camera without one is served its main stream's relay there (one pull from the camera,
// not two of the same stream); resident links hand out sub-stream playlists whose segments carry the viewer token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RelayInfo } from '../../server/contracts/api';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

// Simulator indexes reserved for this file.
const WITH_SUB = 3150;
const WITHOUT_SUB = 3151;

const segmentsOf = (playlist: string) => playlist.split('\n').filter((l) => l && !l.startsWith('#'));

describe('sub-streams through the gateway', () => {
  let t: TestApp;
  let county: Login, dongcheng: Login;
  const cams: SimCamera[] = [];
  const ids = new Map<number, number>();

  beforeAll(async () => {
    t = await buildTestApp({ media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 8, segmentFormat: 'mpegts' } });
    [county, dongcheng] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.dongcheng)]);
    const compound = (await t.app.db.get<{ id: number }>("SELECT id FROM org_units WHERE name = '东城小区'"))!;
    for (const index of [WITH_SUB, WITHOUT_SUB]) {
      const spec = planCamera({ index, name: `子码流测试${index}`, network: 'xueliang', orgUnitCode: 'T' });
      cams.push(await startCamera(spec));
      const id = await t.app.repos.cameras.insert({
        network: 'xueliang', externalId: `SUB${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: 'rtsp', publicArea: true,
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      ids.set(index, id);
    }
    // The simulator serves every camera's sub-stream at /stream2; only one of the two is catalogued with it.
    await t.app.db.run('UPDATE cameras SET sub_stream_url = ? WHERE id = ?', [rtspUrl(cams[0]!.spec).replace(/\/stream1$/, '/stream2'), ids.get(WITH_SUB)!]);
  });
  afterAll(async () => {
    await t.close();
    await Promise.all(cams.map((c) => c.close()));
  });

  const relays = async () => (await t.app.inject({ url: '/api/live/relays', headers: county.headers })).json<RelayInfo[]>();

  it('plays the sub-stream as its own relay beside the main stream, at the smaller size', async () => {
    const id = ids.get(WITH_SUB)!;
    const sub = await t.app.inject({ url: `/live/${id}/sub/index.m3u8`, headers: { cookie: county.cookie } });
    expect(sub.statusCode).toBe(200);
    const seg = await t.app.inject({ url: `/live/${id}/sub/${segmentsOf(sub.body)[0]}`, headers: { cookie: county.cookie } });
    expect(seg.statusCode).toBe(200);
    expect(seg.rawPayload[0]).toBe(0x47);
    // The same segment name under the main stream's path is the main relay's business, not this one's.
    expect((await t.app.inject({ url: `/live/${id}/${segmentsOf(sub.body)[0]}`, headers: { cookie: county.cookie } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/live/${id}/index.m3u8`, headers: { cookie: county.cookie } })).statusCode).toBe(200);
    await expect.poll(async () => (await relays()).filter((r) => r.cameraId === id && r.width).map((r) => `${r.stream} ${r.width}x${r.height}`).sort(), { timeout: 15_000 })
      .toEqual(['main 1280x720', 'sub 640x360']);
    // The catalogue keeps the main stream's picture size.
    await expect.poll(async () => (await t.app.repos.cameras.byId(id))!.width).toBe(1280);
  });

  it('serves a camera without a sub-stream its main relay under /sub/: one pull from the camera', async () => {
    const id = ids.get(WITHOUT_SUB)!;
    const sub = await t.app.inject({ url: `/live/${id}/sub/index.m3u8`, headers: { cookie: county.cookie } });
    expect(sub.statusCode).toBe(200);
    expect((await t.app.inject({ url: `/live/${id}/sub/${segmentsOf(sub.body)[0]}`, headers: { cookie: county.cookie } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/live/${id}/index.m3u8`, headers: { cookie: county.cookie } })).statusCode).toBe(200);
    expect((await relays()).filter((r) => r.cameraId === id).map((r) => r.stream)).toEqual(['main']);
  });

  it('hands residents sub-stream playlists where there is one, with the viewer token on every segment', async () => {
    const compound = (await t.app.db.get<{ id: number }>("SELECT id FROM org_units WHERE name = '东城小区'"))!;
    const made = await t.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers,
      payload: { orgUnitId: compound.id, label: '子码流', expiresInHours: 1, cameraIds: [ids.get(WITH_SUB), ids.get(WITHOUT_SUB)] },
    });
    expect(made.statusCode).toBe(201);
    const token = made.json<CreatedShareLink>().url.split('/r/')[1];
    const view = (await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token, device: 'device-sub-0001' } })).json<ResidentView>();
    const urlOf = (index: number) => view.cameras.find((c) => c.id === ids.get(index))!.playlistUrl;
    expect(urlOf(WITH_SUB)).toMatch(new RegExp(`^/live/${ids.get(WITH_SUB)}/sub/index\\.m3u8\\?v=`));
    expect(urlOf(WITHOUT_SUB)).toMatch(new RegExp(`^/live/${ids.get(WITHOUT_SUB)}/index\\.m3u8\\?v=`));
    const playlist = await t.app.inject({ url: urlOf(WITH_SUB) });
    expect(playlist.statusCode).toBe(200);
    const first = segmentsOf(playlist.body)[0]!;
    expect(first).toMatch(/\?v=/);
    expect((await t.app.inject({ url: `/live/${ids.get(WITH_SUB)}/sub/${first}` })).statusCode).toBe(200);
    // Without the token the same segment is refused.
    expect((await t.app.inject({ url: `/live/${ids.get(WITH_SUB)}/sub/${first.split('?')[0]}` })).statusCode).toBe(401);
  });
});
