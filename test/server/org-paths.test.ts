// GET /api/org/units/paths: the devices view's camera list names each row's unit by its path; scope applies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUnit, OrgUnitPath } from '../../server/contracts/api';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

describe('org unit name paths', () => {
  let t: TestApp;
  let county: Login, dongcheng: Login;
  let units: Array<{ id: number; name: string; path: string; parent_id: number | null }>;

  beforeAll(async () => {
    t = await buildTestApp();
    [county, dongcheng] = await Promise.all([login(t.app, ...DEMO.county), login(t.app, ...DEMO.dongcheng)]);
    units = await t.app.repos.orgUnits.subtree('/');
  });
  afterAll(() => t.close());

  const paths = (who: Login, ids: string) => t.app.inject({ url: `/api/org/units/paths?ids=${ids}`, headers: who.headers });

  it('names every unit from the county down, one entry per id', async () => {
    const dc = units.find((u) => u.name === '东城街道')!;
    const village = units.find((u) => u.name === '团结社区')!;
    const res = await paths(county, `${village.id},${dc.id},${village.id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json<OrgUnitPath[]>();
    expect(body).toHaveLength(2);
    // No unit has an English name yet: the English path keeps the Chinese names.
    expect(body.find((p) => p.id === village.id)).toEqual({ id: village.id, level: 'village', path: '安澜县/东城街道/团结社区', pathEn: '安澜县/东城街道/团结社区' });
    expect(body.find((p) => p.id === dc.id)).toEqual({ id: dc.id, level: 'township', path: '安澜县/东城街道', pathEn: '安澜县/东城街道' });
  });

  it('leaves out units outside the caller’s area and ids that do not exist', async () => {
    const own = (await t.app.inject({ url: '/api/org/units', headers: dongcheng.headers })).json<OrgUnit[]>()[0];
    const other = units.find((u) => u.name === '城关镇')!;
    const body = (await paths(dongcheng, `${own.id},${other.id},999999`)).json<OrgUnitPath[]>();
    expect(body.map((p) => p.id)).toEqual([own.id]);
  });

  it('refuses a malformed or too long id list', async () => {
    expect((await paths(county, 'a,b')).statusCode).toBe(400);
    expect((await paths(county, Array.from({ length: 201 }, (_, i) => i + 1).join(','))).statusCode).toBe(400);
  });
});
