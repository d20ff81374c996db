import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage } from '../../server/contracts/api';
import type { SavedLayout } from '../../server/contracts/layouts';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

describe('saved wall layouts', () => {
  let t: TestApp;
  let county: Login, dongcheng: Login, chengguan: Login;
  let dcCams: number[], cgCams: number[];

  beforeAll(async () => {
    t = await buildTestApp();
    [county, dongcheng, chengguan] = await Promise.all([DEMO.county, DEMO.dongcheng, DEMO.chengguan].map(([u, p]) => login(t.app, u, p)));
    dcCams = (await t.app.inject({ url: '/api/cameras?limit=4', headers: dongcheng.headers })).json<CameraPage>().items.map((c) => c.id);
    cgCams = (await t.app.inject({ url: '/api/cameras?limit=4', headers: chengguan.headers })).json<CameraPage>().items.map((c) => c.id);
  });
  afterAll(() => t.close());

  const call = (who: Login, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: who.headers, payload });

  it('saves, lists with the default first, renames and deletes a layout', async () => {
    const a = await call(dongcheng, 'POST', '/api/layouts', { name: '早班', layout: '4', cameraIds: [dcCams[0], null, dcCams[1], dcCams[2]] });
    expect(a.statusCode).toBe(201);
    const b = await call(dongcheng, 'POST', '/api/layouts', { name: '夜班', layout: '1', cameraIds: [dcCams[3]], isDefault: true });
    expect(b.json<SavedLayout>()).toMatchObject({ name: '夜班', isDefault: true, cameraIds: [dcCams[3]] });

    const made = a.json<SavedLayout>();
    const renamed = await call(dongcheng, 'PUT', `/api/layouts/${made.id}`, { name: '白班', isDefault: true });
    expect(renamed.json<SavedLayout>()).toMatchObject({ name: '白班', layout: '4', isDefault: true });
    const list = (await call(dongcheng, 'GET', '/api/layouts')).json<SavedLayout[]>();
    expect(list.map((l) => [l.name, l.isDefault])).toEqual([['白班', true], ['夜班', false]]);

    expect((await call(dongcheng, 'DELETE', `/api/layouts/${made.id}`)).statusCode).toBe(204);
    expect((await call(dongcheng, 'GET', '/api/layouts')).json<SavedLayout[]>().map((l) => l.name)).toEqual(['夜班']);
  });

  it('refuses cameras outside the user’s area, too many tiles and duplicate names, naming the field, writing nothing', async () => {
    const outside = await call(dongcheng, 'POST', '/api/layouts', { name: 'x', layout: '4', cameraIds: [dcCams[0], cgCams[0]] });
    expect(outside.statusCode).toBe(400);
    expect(outside.json()).toMatchObject({ field: 'cameraIds.1' });
    expect(outside.body).not.toMatch(/城关/);
    const tooMany = await call(dongcheng, 'POST', '/api/layouts', { name: 'y', layout: '1', cameraIds: [dcCams[0], dcCams[1]] });
    expect(tooMany.json()).toMatchObject({ statusCode: 400, field: 'cameraIds' });
    const badKind = await call(dongcheng, 'POST', '/api/layouts', { name: 'z', layout: '25', cameraIds: [] });
    expect(badKind.json()).toMatchObject({ statusCode: 400, field: 'layout' });
    const dup = await call(dongcheng, 'POST', '/api/layouts', { name: '夜班', layout: '1', cameraIds: [] });
    expect(dup.statusCode).toBe(409);
    expect((await call(dongcheng, 'GET', '/api/layouts')).json<SavedLayout[]>().map((l) => l.name)).toEqual(['夜班']);
  });

  it('keeps each user’s layouts private', async () => {
    const mine = (await call(dongcheng, 'GET', '/api/layouts')).json<SavedLayout[]>()[0];
    expect((await call(county, 'GET', '/api/layouts')).json()).toEqual([]);
    expect((await call(county, 'PUT', `/api/layouts/${mine.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await call(county, 'DELETE', `/api/layouts/${mine.id}`)).statusCode).toBe(404);
    const noCsrf = await t.app.inject({ method: 'DELETE', url: `/api/layouts/${mine.id}`, headers: { cookie: dongcheng.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    // the county may save a layout mixing townships: its scope holds both
    expect((await call(county, 'POST', '/api/layouts', { name: '全县', layout: '4', cameraIds: [dcCams[0], cgCams[0]] })).statusCode).toBe(201);
  });
});
