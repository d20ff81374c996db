// Snapshots through the gateway: staff (session, org scope, audit) and residents (viewer token, link scope,
// revocation), from a running relay and from the camera's own ONVIF snapshot, with no credential in any answer.
// Simulator indexes reserved for this file: 3520–3529 (cameras added to 东城小区, 东城街道).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onvifSnapshotUrl, onvifXAddr, planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { HAVE_FFPROBE, probe } from '../media/helpers/ffprobe';

// 3521 serves the 1280x720 H.264 fixture, so a 640-wide snapshot proves the scaling (index % 25 picks the fixture).
const RELAYED = 3521;
const ONVIF_ONLY = 3522;
const WRONG_PASSWORD = 3523;
const NOT_IN_LINK = 3524;

describe('camera snapshots through the gateway', () => {
  let t: TestApp;
  let county: Login, dongcheng: Login, chengguan: Login;
  const cams = new Map<number, SimCamera>();
  const ids = new Map<number, number>();
  let view: ResidentView;
  let linkId: number;

  beforeAll(async () => {
    t = await buildTestApp({ media: { idleTimeoutSec: 30, stallTimeoutSec: 5, maxRelays: 4, segmentFormat: 'mpegts' } });
    [county, dongcheng, chengguan] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.dongcheng), login(t.app, ...DEMO.chengguan)]);
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    for (const index of [RELAYED, ONVIF_ONLY, WRONG_PASSWORD, NOT_IN_LINK]) {
      const spec = planCamera({ index, name: `${COMPOUND_NAME}快照${index}`, network: 'skynet', orgUnitCode: compound.code });
      cams.set(index, await startCamera(spec));
      ids.set(index, await t.app.repos.cameras.insert({
        network: 'skynet', externalId: `SNAP${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: 'onvif', publicArea: true,
        endpoint: onvifXAddr(spec), streamUrl: rtspUrl(spec), snapshotUrl: onvifSnapshotUrl(spec),
        credentials: { username: spec.username, password: spec.password },
      }));
    }
    cams.get(WRONG_PASSWORD)!.setFault({ kind: 'wrong-password' });
    const made = await t.app.inject({
      method: 'POST', url: '/api/share-links', headers: dongcheng.headers,
      payload: { orgUnitId: compound.id, label: '快照测试', expiresInHours: 1, cameraIds: [RELAYED, ONVIF_ONLY].map((i) => ids.get(i)!) },
    });
    expect(made.statusCode).toBe(201);
    const created = made.json<CreatedShareLink>();
    linkId = created.link.id;
    const opened = await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token: created.url.split('/r/')[1], device: 'snapshot-phone' } });
    view = opened.json<ResidentView>();
  });
  afterAll(async () => {
    await t.close();
    await Promise.all([...cams.values()].map((c) => c.close()));
  });

  const snap = (index: number, login?: Login) =>
    t.app.inject({ url: `/api/cameras/${ids.get(index)}/snapshot.jpg`, headers: login ? { cookie: login.cookie } : {} });

  it.skipIf(!HAVE_FFPROBE)('a camera being watched: the relay\'s key frame, ≤ 640 px wide, privately cacheable', async () => {
    const id = ids.get(RELAYED)!;
    expect((await t.app.inject({ url: `/live/${id}/index.m3u8`, headers: { cookie: county.cookie } })).statusCode).toBe(200);
    const res = await snap(RELAYED, county);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['x-snapshot-source']).toBe('relay');
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    const stream = (await probe(res.rawPayload, '.jpg')).streams[0];
    expect(stream).toMatchObject({ codec_name: 'mjpeg', width: 640, height: 360 });
  });

  it('a camera nobody watches: its ONVIF snapshot with Digest, and no relay started for it', async () => {
    const cam = cams.get(ONVIF_ONLY)!;
    const digestBefore = cam.stats().auth.digest;
    const relaysBefore = t.app.relays.size;
    const res = await snap(ONVIF_ONLY, dongcheng);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-snapshot-source']).toBe('onvif');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(cam.stats().auth.digest).toBe(digestBefore + 1);
    expect(t.app.relays.size).toBe(relaysBefore);
    expect(cam.stats().rtspConnections).toBe(0);
  });

  it('a wrong camera password: 502 with the reason, no credential or address in the answer', async () => {
    const res = await snap(WRONG_PASSWORD, county);
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({ message: expect.stringContaining('unauthorized') });
    const spec = cams.get(WRONG_PASSWORD)!.spec;
    expect(res.body).not.toContain(spec.password);
    expect(res.body).not.toContain(spec.host);
    expect(res.body).not.toContain('snapshot.jpg');
  });

  it('scope: another township\'s officer gets 404 (as if absent), nobody without a session gets in', async () => {
    expect((await snap(ONVIF_ONLY, chengguan)).statusCode).toBe(404);
    expect((await snap(ONVIF_ONLY)).statusCode).toBe(401);
  });

  it('audits a look like a live view, once per viewer and camera however often the thumbnail refreshes', async () => {
    await snap(ONVIF_ONLY, county);
    await snap(ONVIF_ONLY, county);
    const rows = await t.app.db.all<{ actor_name: string; detail: string }>(
      "SELECT actor_name, detail FROM audit_log WHERE action = 'live.snapshot' AND target_id = ? AND actor_name = 'county'", [String(ids.get(ONVIF_ONLY))],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].detail)).toMatchObject({ source: 'onvif' });
  });

  it('residents: the link\'s cameras only, by the URL the link hands out', async () => {
    expect(view.cameras.map((c) => c.id).sort()).toEqual([ids.get(RELAYED)!, ids.get(ONVIF_ONLY)!].sort());
    const camera = view.cameras.find((c) => c.id === ids.get(ONVIF_ONLY))!;
    expect(camera.snapshotUrl).toMatch(/^\/api\/share\/cameras\/\d+\/snapshot\.jpg\?v=/);
    const res = await t.app.inject({ url: camera.snapshotUrl });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toMatch(/^private/);
    // Whether someone is watching the camera is none of a resident's business.
    expect(res.headers['x-snapshot-source']).toBeUndefined();
    const v = camera.snapshotUrl.split('?v=')[1];
    // A compound camera outside the link, and an unknown camera, are the same 404.
    const outside = await t.app.inject({ url: `/api/share/cameras/${ids.get(NOT_IN_LINK)}/snapshot.jpg?v=${v}` });
    const unknown = await t.app.inject({ url: `/api/share/cameras/999999/snapshot.jpg?v=${v}` });
    expect(outside.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    expect(outside.json().error).toBe(unknown.json().error);
    expect(cams.get(NOT_IN_LINK)!.stats().auth.digest).toBe(0);
    // A staff session is not a resident token.
    expect((await t.app.inject({ url: `/api/share/cameras/${ids.get(ONVIF_ONLY)}/snapshot.jpg`, headers: { cookie: county.cookie } })).statusCode).toBe(401);
     // Thumbnails are not audited one by one: the link's opening is, with its cameras (share.open).
    const residentRows = await t.app.db.all("SELECT id FROM audit_log WHERE action = 'live.snapshot' AND actor_type = 'resident'");
    expect(residentRows).toHaveLength(0);
    const opens = await t.app.db.all<{ detail: string }>("SELECT detail FROM audit_log WHERE action = 'share.open'");
    expect(opens.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(opens[0]!.detail).cameras).toContain(ids.get(ONVIF_ONLY));
  });

  it('the demo seed stores each camera\'s snapshot address (no credentials in it) beside its stream', async () => {
    const source = await t.app.repos.cameras.snapshotSource(1);
    const stream = (await t.app.repos.cameras.source(1))!;
    expect(source?.url).toBe(`http://${new URL(stream.url).hostname}:8000/onvif/snapshot.jpg`);
    expect(source?.url).not.toContain('@');
    expect(source?.password).toBe(stream.password);
  });

  it('residents: a revoked link gets 401 at once, without touching the camera', async () => {
    const camera = view.cameras.find((c) => c.id === ids.get(ONVIF_ONLY))!;
    expect((await t.app.inject({ method: 'POST', url: `/api/share-links/${linkId}/revoke`, headers: dongcheng.headers })).statusCode).toBe(200);
    t.app.snapshots.forget(camera.id);
    const before = cams.get(ONVIF_ONLY)!.stats().auth.digest;
    const res = await t.app.inject({ url: camera.snapshotUrl });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).not.toContain('image');
    expect(cams.get(ONVIF_ONLY)!.stats().auth.digest).toBe(before);
  });
});
