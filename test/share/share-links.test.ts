// Resident links end to end over HTTP: a real simulated camera behind the relay, real SQLite, the real app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage, OrgUnit } from '../../server/contracts/api';
import type { CreatedShareLink, ResidentView, ShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { LINK_INVALID } from '../../server/share/service';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

// Simulator index reserved for this file (its own loopback address, clear of the demo fleet's 0–187).
const SIM_INDEX = 3200;

describe('resident share links', () => {
  let t: TestApp;
  let dongcheng: Login, chengguan: Login, village: Login;
  let compound: OrgUnit;
  let sim: SimCamera;
  let liveCameraId: number;
  let privateCameraId: number;

  beforeAll(async () => {
    t = await buildTestApp();
    [dongcheng, chengguan, village] = await Promise.all([DEMO.dongcheng, DEMO.chengguan, DEMO.village].map(([u, p]) => login(t.app, u, p)));
    const row = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    compound = (await t.app.repos.orgUnits.withCounts(row.id))!;
    const spec = planCamera({ index: SIM_INDEX, name: '东城小区测试门', network: 'huiyan', orgUnitCode: row.code });
    sim = await startCamera(spec);
    liveCameraId = await t.app.repos.cameras.insert({
      network: 'huiyan', externalId: `SHARE${SIM_INDEX}`, name: spec.name, orgUnitId: row.id, sourceKind: 'rtsp',
      endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), publicArea: true, credentials: { username: spec.username, password: spec.password },
    });
    const all = (await t.app.inject({ url: `/api/cameras?orgUnitId=${row.id}&limit=500`, headers: dongcheng.headers })).json<CameraPage>();
    privateCameraId = all.items.find((c) => !c.publicArea)!.id;
  });
  afterAll(async () => {
    await t.close();
    await sim.close();
  });

  const create = (who: Login, body: object) =>
    t.app.inject({ method: 'POST', url: '/api/share-links', headers: who.headers, payload: body });
  const open = (token: string, device = 'device-aaaaaaaa') =>
    t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token, device } });
  const tokenOf = (created: CreatedShareLink) => created.url.split('/r/')[1];

  it('makes a link with a 256-bit token, a QR code, and the compound’s public-area cameras by default', async () => {
    const res = await create(dongcheng, { orgUnitId: compound.id, label: '东城小区业主群', expiresInHours: 24 });
    expect(res.statusCode).toBe(201);
    const created = res.json<CreatedShareLink>();
    expect(tokenOf(created)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.qrSvg).toMatch(/^<svg/);
    const publicCount = (await t.app.inject({ url: `/api/cameras?orgUnitId=${compound.id}&limit=500`, headers: dongcheng.headers }))
      .json<CameraPage>().items.filter((c) => c.publicArea).length;
    expect(created.link).toMatchObject({ state: 'active', cameraCount: publicCount, orgUnitName: COMPOUND_NAME, createdBy: 'dongcheng' });
    expect(publicCount).toBeLessThan(compound.cameraCount);
    // only a hash is stored
    const stored = await t.app.db.get<{ token_hash: string }>('SELECT token_hash FROM share_links WHERE id = ?', [created.link.id]);
    expect(stored!.token_hash).not.toContain(tokenOf(created));
    const list = (await t.app.inject({ url: '/api/share-links', headers: dongcheng.headers })).json<ShareLink[]>();
    expect(list.map((l) => l.id)).toContain(created.link.id);
    expect(JSON.stringify(list)).not.toContain(tokenOf(created));
  });

  it('refuses makers without the role, outside the area, and non-public cameras, writing nothing', async () => {
    const before = (await t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM share_links'))!.n;
    expect((await create(village, { orgUnitId: compound.id, label: 'x', expiresInHours: 1 })).statusCode).toBe(403);
    expect((await create(chengguan, { orgUnitId: compound.id, label: 'x', expiresInHours: 1 })).statusCode).toBe(404);
    const priv = await create(dongcheng, { orgUnitId: compound.id, label: 'x', expiresInHours: 1, cameraIds: [privateCameraId] });
    expect(priv.statusCode).toBe(400);
    expect(priv.json()).toMatchObject({ field: 'cameraIds.0' });
    const badWindow = await create(dongcheng, { orgUnitId: compound.id, label: 'x', expiresInHours: 1, dailyWindow: { start: '25:00', end: '06:00' } });
    expect(badWindow.json()).toMatchObject({ statusCode: 400, field: 'dailyWindow.start' });
    expect((await t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM share_links'))!.n).toBe(before);
  });

  it('lets a resident watch only the link’s cameras, with a per-viewer token on every segment, until revoked', async () => {
    const created = (await create(dongcheng, { orgUnitId: compound.id, label: '测试', expiresInHours: 1, cameraIds: [liveCameraId] })).json<CreatedShareLink>();
    const view = (await open(tokenOf(created))).json<ResidentView>();
    expect(view).toMatchObject({ label: '测试', unitName: COMPOUND_NAME });
    expect(view.cameras.map((c) => c.id)).toEqual([liveCameraId]);

    const playlist = await t.app.inject({ url: view.cameras[0].playlistUrl });
    expect(playlist.statusCode).toBe(200);
    const segments = playlist.body.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(segments.length).toBeGreaterThan(0);
    expect(segments.every((s) => s.endsWith(`?v=${encodeURIComponent(view.viewerToken)}`))).toBe(true);
    const segment = await t.app.inject({ url: `/live/${liveCameraId}/${segments[0]}` });
    expect(segment.statusCode).toBe(200);
    expect(segment.rawPayload[0]).toBe(0x47);

    // the same token opens nothing else: other cameras, staff APIs
    const v = encodeURIComponent(view.viewerToken);
    expect((await t.app.inject({ url: `/live/${privateCameraId}/index.m3u8?v=${v}` })).statusCode).toBe(404);
    expect((await t.app.inject({ url: `/api/cameras?v=${v}` })).statusCode).toBe(401);
    expect((await t.app.inject({ url: `/api/share-links?v=${v}` })).statusCode).toBe(401);
    // a segment without the token, or with a tampered one, is refused
    expect((await t.app.inject({ url: `/live/${liveCameraId}/${segments[0].split('?')[0]}` })).statusCode).toBe(401);
    const tampered = view.viewerToken.slice(0, -2) + (view.viewerToken.endsWith('AA') ? 'BB' : 'AA');
    expect((await t.app.inject({ url: `/live/${liveCameraId}/index.m3u8?v=${encodeURIComponent(tampered)}` })).statusCode).toBe(401);

    const revoked = await t.app.inject({ method: 'POST', url: `/api/share-links/${created.link.id}/revoke`, headers: dongcheng.headers });
    expect(revoked.json<ShareLink>().state).toBe('revoked');
    const after = await t.app.inject({ url: view.cameras[0].playlistUrl });
    expect(after.statusCode).toBe(401);
    expect(after.json().message).toBe(LINK_INVALID);
    expect((await t.app.inject({ url: `/live/${liveCameraId}/${segments[0]}` })).statusCode).toBe(401);
    expect((await open(tokenOf(created))).statusCode).toBe(401);

    const audit = await t.app.db.all<{ action: string; actor_type: string }>(
      "SELECT action, actor_type FROM audit_log WHERE action IN ('share.create', 'share.open', 'share.revoke', 'live.view') ORDER BY id",
    );
    expect(audit).toEqual(expect.arrayContaining([
      { action: 'share.create', actor_type: 'user' }, { action: 'share.open', actor_type: 'resident' },
      { action: 'live.view', actor_type: 'resident' }, { action: 'share.revoke', actor_type: 'user' },
    ]));
  });

  it('answers unknown and expired links with the same message, and names no other compound', async () => {
    const unknown = await open('x'.repeat(43));
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().message).toBe(LINK_INVALID);
    const created = (await create(dongcheng, { orgUnitId: compound.id, label: '过期', expiresInHours: 1 })).json<CreatedShareLink>();
    await t.app.db.run('UPDATE share_links SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), created.link.id]);
    const expired = await open(tokenOf(created));
    expect(expired.statusCode).toBe(401);
    expect(expired.body).toBe(unknown.body);
  });

  it('keeps to the daily window, the device limit and the viewer limit', async () => {
    const chinaHour = (new Date().getUTCHours() + 8) % 24;
    const hh = (h: number) => String(h % 24).padStart(2, '0') + ':00';
    const closed = (await create(dongcheng, { orgUnitId: compound.id, label: '夜间', expiresInHours: 1, dailyWindow: { start: hh(chinaHour + 2), end: hh(chinaHour + 3) } })).json<CreatedShareLink>();
    const outside = await open(tokenOf(closed));
    expect(outside.statusCode).toBe(403);
    expect(outside.json().message).toContain(hh(chinaHour + 2));

    const oneDevice = (await create(dongcheng, { orgUnitId: compound.id, label: '单设备', expiresInHours: 1, maxDevices: 1 })).json<CreatedShareLink>();
    expect((await open(tokenOf(oneDevice), 'phone-one-1')).statusCode).toBe(200);
    expect((await open(tokenOf(oneDevice), 'phone-one-1')).statusCode).toBe(200);
    expect((await open(tokenOf(oneDevice), 'phone-two-2')).statusCode).toBe(403);

    const oneViewer = (await create(dongcheng, { orgUnitId: compound.id, label: '单人', expiresInHours: 1, maxViewers: 1, cameraIds: [liveCameraId] })).json<CreatedShareLink>();
    const a = (await open(tokenOf(oneViewer), 'viewer-aaaa')).json<ResidentView>();
    const b = (await open(tokenOf(oneViewer), 'viewer-bbbb')).json<ResidentView>();
    expect((await t.app.inject({ url: a.cameras[0].playlistUrl })).statusCode).toBe(200);
    expect((await t.app.inject({ url: b.cameras[0].playlistUrl })).statusCode).toBe(429);
  });
});
