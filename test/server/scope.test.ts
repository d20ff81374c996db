import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera, CameraPage, OrgUnit } from '../../server/contracts/api';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

describe('org tree and cameras, scoped by the user’s unit', () => {
  let t: TestApp;
  let county: Login, dongcheng: Login, chengguan: Login, village: Login;
  let root: OrgUnit, townships: OrgUnit[];

  beforeAll(async () => {
    t = await buildTestApp();
    [county, dongcheng, chengguan, village] = await Promise.all([
      login(t.app, ...DEMO.county), login(t.app, ...DEMO.dongcheng), login(t.app, ...DEMO.chengguan), login(t.app, ...DEMO.village),
    ]);
    root = (await t.app.inject({ url: '/api/org/units', headers: county.headers })).json<OrgUnit[]>()[0];
    townships = (await t.app.inject({ url: `/api/org/units?parentId=${root.id}`, headers: county.headers })).json<OrgUnit[]>();
  });
  afterAll(() => t.close());

  const get = <T>(who: Login, url: string) => t.app.inject({ url, headers: who.headers }).then((r) => ({ status: r.statusCode, body: r.json<T>(), raw: r.body }));

  it('gives the county the whole tree with subtree counts that add up', async () => {
    expect(root).toMatchObject({ name: '安澜县', level: 'county', parentId: null, cameraCount: 188 });
    expect(townships.length).toBeGreaterThanOrEqual(5);
    expect(townships.reduce((sum, u) => sum + u.cameraCount, 0)).toBe(root.cameraCount);
    const dc = townships.find((u) => u.name === '东城街道')!;
    const villages = (await get<OrgUnit[]>(county, `/api/org/units?parentId=${dc.id}`)).body;
    const own = (await get<CameraPage>(county, `/api/cameras?orgUnitId=${dc.id}&limit=1`)).body.total;
    expect(villages.reduce((s, v) => s + v.cameraCount, 0)).toBeLessThanOrEqual(own);
    const compoundParent = villages.find((v) => v.childCount > 0)!;
    const compound = (await get<OrgUnit[]>(county, `/api/org/units?parentId=${compoundParent.id}`)).body[0];
    expect(compound).toMatchObject({ name: '东城小区', level: 'compound', cameraCount: 74 });
  });

  it('roots a township officer at its township and hides every other township', async () => {
    const mine = (await get<OrgUnit[]>(dongcheng, '/api/org/units')).body;
    expect(mine.map((u) => u.name)).toEqual(['东城街道']);
    const other = townships.find((u) => u.name === '城关镇')!;
    const res = await get<{ message: string }>(dongcheng, `/api/org/units?parentId=${other.id}`);
    expect(res.status).toBe(404);
    expect(res.raw).not.toContain('城关镇');
    expect((await get(dongcheng, `/api/org/units?parentId=${root.id}`)).status).toBe(404);
    expect((await get(dongcheng, `/api/cameras?orgUnitId=${other.id}`)).status).toBe(404);
  });

  it('lists only in-scope cameras, filters by network, status and text', async () => {
    const all = (await get<CameraPage>(dongcheng, '/api/cameras?limit=500')).body;
    const dc = townships.find((u) => u.name === '东城街道')!;
    expect(all.total).toBe(dc.cameraCount);
    expect(all.items).toHaveLength(all.total);
    const own = (await get<CameraPage>(dongcheng, `/api/cameras?orgUnitId=${dc.id}&direct=true&limit=500`)).body;
    expect(own.total).toBeGreaterThan(0);
    expect(own.total).toBeLessThan(all.total);
    expect(own.items.every((c) => c.orgUnitId === dc.id)).toBe(true);
    const huiyan = (await get<CameraPage>(dongcheng, '/api/cameras?network=huiyan&limit=500')).body;
    expect(huiyan.total).toBeGreaterThan(0);
    expect(huiyan.items.every((c) => c.network === 'huiyan')).toBe(true);
    const search = (await get<CameraPage>(dongcheng, `/api/cameras?q=${encodeURIComponent('南门')}`)).body;
    expect(search.items.map((c) => c.name)).toContain('东城小区南门');
    const likeWildcard = (await get<CameraPage>(dongcheng, '/api/cameras?q=%25')).body;
    expect(likeWildcard.total).toBe(0);
    const bad = await get<{ field: string }>(dongcheng, '/api/cameras?status=broken');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('status');
  });

  it('never returns camera credentials, and reports only that they exist', async () => {
    const page = await get<CameraPage>(county, '/api/cameras?limit=500');
    expect(page.body.items.every((c) => c.hasCredentials)).toBe(true);
    expect(page.raw).not.toMatch(/Sim-\d+-pass|"password"|"secret"|"username"/);
    const source = (await t.app.repos.cameras.source(page.body.items[0].id))!;
    expect(source.password).toMatch(/^Sim-\d+-pass$/);
    expect(source.url).not.toContain('@');
  });

  it('lets an officer edit a camera in scope, and refuses bad bodies, other areas and missing CSRF without writing', async () => {
    const cam = (await get<CameraPage>(village, '/api/cameras?limit=1')).body.items[0];
    const patch = (who: Login, id: number, payload: unknown, headers: Record<string, string> = who.headers) =>
      t.app.inject({ method: 'PATCH', url: `/api/cameras/${id}`, headers, payload: payload as object });

    const ok = await patch(village, cam.id, { name: '东风社区新名字', publicArea: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json<Camera>()).toMatchObject({ name: '东风社区新名字', publicArea: true });

    const invalid = await patch(village, cam.id, { lat: 123 });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toMatchObject({ field: 'lat' });
    const empty = await patch(village, cam.id, {});
    expect(empty.statusCode).toBe(400);

    const moveOut = await patch(village, cam.id, { orgUnitId: root.id });
    expect(moveOut.statusCode).toBe(403);
    const otherTownship = await patch(chengguan, cam.id, { name: 'hijack' });
    expect(otherTownship.statusCode).toBe(404);
    const noCsrf = await patch(village, cam.id, { name: 'no csrf' }, { cookie: village.cookie });
    expect(noCsrf.statusCode).toBe(403);

    const after = (await get<Camera>(county, `/api/cameras/${cam.id}`)).body;
    expect(after).toMatchObject({ name: '东风社区新名字', orgUnitId: cam.orgUnitId });
    const audit = await t.app.repos.audit.recent(10, 'camera.update');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'village', targetId: String(cam.id) });
  });

  it('answers unknown ids and routes with 404 JSON', async () => {
    expect((await get(county, '/api/cameras/999999')).status).toBe(404);
    expect((await get(county, '/api/cameras/abc')).status).toBe(400);
    const missing = await get<{ statusCode: number }>(county, '/api/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body.statusCode).toBe(404);
  });

  it('publishes health without a session, and the OpenAPI document', async () => {
    const health = await t.app.inject({ url: '/api/health' });
    expect(health.json()).toMatchObject({ status: 'ok', cameras: 188 });
    const spec = (await t.app.inject({ url: '/docs/json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/cameras/', '/api/org/units', '/api/cameras/{id}']));
  });
});
