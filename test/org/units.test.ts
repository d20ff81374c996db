// 组织机构 (issue #16) on the real app: administrators create, rename and delete units inside their area; the tree
// counts users per unit; bad input is a 400 naming the field, a clash a 409 naming what is in the way; each write
// leaves its audit row and an 'org:changed' event in the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../server/contracts/audit';
import type { OrgUnit, OrgUnitPath } from '../../server/contracts/api';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: Login, county: Login, dongcheng: Login;
let units: Awaited<ReturnType<TestApp['app']['repos']['orgUnits']['subtree']>>;
const unit = (name: string) => units.find((u) => u.name === name)!;

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
async function call<T = OrgUnit>(who: Login, method: Method, url: string, payload?: object) {
  const res = await t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });
  return { status: res.statusCode, body: (res.body ? res.json() : undefined) as T & { field?: string; message: string } };
}
const children = async (who: Login, parentId: number) => (await call<OrgUnit[]>(who, 'GET', `/api/org/units?parentId=${parentId}`)).body;
const auditRows = async (action: string) =>
  (await t.app.inject({ url: `/api/audit?action=${action}&limit=200`, headers: admin.headers })).json<AuditPage>().items;

beforeAll(async () => {
  t = await buildTestApp();
  [admin, county, dongcheng] = await Promise.all([DEMO.admin, DEMO.county, DEMO.dongcheng].map(([u, p]) => login(t.app, u, p)));
  units = await t.app.repos.orgUnits.subtree('/');
});
afterAll(() => t?.close());

describe('the tree counts users and carries English names', () => {
  it('counts the users of each unit’s whole subtree', async () => {
    const [root] = (await call<OrgUnit[]>(admin, 'GET', '/api/org/units')).body;
    expect(root).toMatchObject({ name: '安澜县', nameEn: null, userCount: 5 }); // admin, county, two townships, a village
    const towns = await children(admin, root.id);
    expect(towns.find((u) => u.name === '东城街道')).toMatchObject({ userCount: 2, nameEn: null });
    expect(towns.find((u) => u.name === '城关镇')).toMatchObject({ userCount: 1 });
    expect(towns.find((u) => u.name === '西湖镇')).toMatchObject({ userCount: 0 });
  });
});

describe('create', () => {
  it('adds a unit one level below its parent, with the next code, audited and announced', async () => {
    const before = await t.app.repos.events.lastSeq();
    const dc = unit('东城街道');
    const res = await call(admin, 'POST', '/api/org/units', { parentId: dc.id, name: '  新风社区 ', nameEn: 'Xinfeng Community' });
    expect(res.status, res.body.message).toBe(201);
    // The demo's 东城街道 has four villages, 339901002001…004.
    expect(res.body).toMatchObject({
      name: '新风社区', nameEn: 'Xinfeng Community', level: 'village', code: '339901002005', parentId: dc.id,
      childCount: 0, cameraCount: 0, onlineCount: 0, userCount: 0,
    });
    expect((await children(admin, dc.id)).map((u) => u.id)).toContain(res.body.id);
    const stored = (await t.app.repos.orgUnits.byId(res.body.id))!;
    expect(stored.path).toBe(`${dc.path}${res.body.id}/`);

    const [row] = (await auditRows('org.create')).filter((r) => r.targetId === String(res.body.id));
    expect(row).toMatchObject({ actorName: 'admin', targetType: 'org_unit', orgUnitId: res.body.id });
    expect(row.detail).toMatchObject({ name: '新风社区', nameEn: 'Xinfeng Community', code: '339901002005', level: 'village', parentId: dc.id });
    const events = await t.app.repos.events.since('/', before, 10);
    expect(events).toEqual([{ event: 'org:changed', payload: expect.objectContaining({ action: 'create', orgUnitId: res.body.id, parentId: dc.id, by: 'admin' }) }]);
  });

  it('takes a given code, and a compound under a village', async () => {
    const village = unit('团结社区');
    const res = await call(admin, 'POST', '/api/org/units', { parentId: village.id, name: '幸福家园', code: 'HF-01' });
    expect(res.status, res.body.message).toBe(201);
    expect(res.body).toMatchObject({ level: 'compound', code: 'HF-01', nameEn: null });
  });

  it('refuses bad input with a 400 naming the field', async () => {
    const dc = unit('东城街道');
    const cases: Array<[object, string]> = [
      [{ parentId: dc.id, name: '   ' }, 'name'],
      [{ parentId: dc.id, name: '东城/西城' }, 'name'],
      [{ parentId: dc.id, name: 'x'.repeat(51) }, 'name'],
      [{ parentId: dc.id, name: '好名字', nameEn: 'A/B' }, 'nameEn'],
      [{ parentId: dc.id, name: '好名字', code: '含中文' }, 'code'],
      [{ parentId: dc.id, name: '好名字', level: 'county' }, 'level'],
      [{ name: '好名字' }, 'parentId'],
      [{ parentId: unit('东城小区').id, name: '楼下' }, 'parentId'], // a compound has no lower level
    ];
    for (const [payload, field] of cases) {
      const res = await call(admin, 'POST', '/api/org/units', payload);
      expect([res.status, res.body.field], JSON.stringify(payload)).toEqual([400, field]);
    }
  });

  it('refuses a sibling’s name and a taken code with a 409 naming them', async () => {
    const dc = unit('东城街道');
    const clash = await call(admin, 'POST', '/api/org/units', { parentId: dc.id, name: '团结社区' });
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ field: 'name' });
    expect(clash.body.message).toContain('东城街道 already has a unit named 团结社区');
    const code = await call(admin, 'POST', '/api/org/units', { parentId: dc.id, name: '另一个社区', code: '339901001' });
    expect(code.status).toBe(409);
    expect(code.body).toMatchObject({ field: 'code' });
    expect(code.body.message).toContain('城关镇');
    // The same name under another parent is fine.
    expect((await call(admin, 'POST', '/api/org/units', { parentId: unit('城关镇').id, name: '团结社区' })).status).toBe(201);
  });

  it('is for administrators only, inside their area', async () => {
    const dc = unit('东城街道');
    expect((await call(county, 'POST', '/api/org/units', { parentId: dc.id, name: '县级不能建' })).status).toBe(403);
    expect((await call(dongcheng, 'POST', '/api/org/units', { parentId: dc.id, name: '乡镇不能建' })).status).toBe(403);
    expect((await call(admin, 'POST', '/api/org/units', { parentId: 999999, name: '无处' })).body).toMatchObject({ statusCode: 404, field: 'parentId' });
  });
});

describe('rename', () => {
  it('changes the Chinese and English names; name paths and the tree show both', async () => {
    const village = unit('团结社区');
    const res = await call(admin, 'PATCH', `/api/org/units/${unit('东城街道').id}`, { nameEn: ' Dongcheng Subdistrict ' });
    expect(res.status, res.body.message).toBe(200);
    expect(res.body).toMatchObject({ name: '东城街道', nameEn: 'Dongcheng Subdistrict', userCount: 2 });
    const paths = (await call<OrgUnitPath[]>(admin, 'GET', `/api/org/units/paths?ids=${unit('团结社区').id}`)).body;
    expect(paths).toEqual([{ id: unit('团结社区').id, level: 'village', path: '安澜县/东城街道/团结社区', pathEn: '安澜县/Dongcheng Subdistrict/团结社区' }]);

    const renamed = await call(admin, 'PATCH', `/api/org/units/${village.id}`, { name: '团结新村', nameEn: 'Tuanjie New Village' });
    expect(renamed.body).toMatchObject({ name: '团结新村', nameEn: 'Tuanjie New Village' });
    const [row] = (await auditRows('org.update')).filter((r) => r.targetId === String(village.id));
    expect(row.detail).toEqual({ fields: ['name', 'nameEn'], before: { name: village.name, nameEn: null } });
    // The header of the village's officer names the unit by its new name (read per request, not copied).
    const me = await t.app.inject({ url: '/api/auth/me', headers: (await login(t.app, ...DEMO.village)).headers });
    expect(me.json().user.orgUnitName).toBe('团结新村');

    // An empty English name clears it; the Chinese name is shown again.
    expect((await call(admin, 'PATCH', `/api/org/units/${village.id}`, { nameEn: '' })).body.nameEn).toBeNull();
    expect((await call(admin, 'PATCH', `/api/org/units/${village.id}`, { name: village.name })).body.name).toBe(village.name);
  });

  it('refuses a sibling’s name (409), an empty change (400), non-admins (403) and units elsewhere (404)', async () => {
    const village = unit('团结社区');
    const clash = await call(admin, 'PATCH', `/api/org/units/${village.id}`, { name: '新风社区' });
    expect([clash.status, clash.body.field]).toEqual([409, 'name']);
    expect((await call(admin, 'PATCH', `/api/org/units/${village.id}`, {})).status).toBe(400);
    expect((await call(admin, 'PATCH', `/api/org/units/${village.id}`, { code: '339901' })).body).toMatchObject({ statusCode: 409, field: 'code' });
    expect((await call(county, 'PATCH', `/api/org/units/${village.id}`, { nameEn: 'x' })).status).toBe(403);
    expect((await call(admin, 'PATCH', '/api/org/units/999999', { nameEn: 'x' })).body).toMatchObject({ statusCode: 404, field: 'id' });
  });
});

describe('delete', () => {
  it('refuses a unit that is not empty, naming what is left', async () => {
    const dc = await call(admin, 'DELETE', `/api/org/units/${unit('东城街道').id}`);
    expect(dc.status).toBe(409);
    expect(dc.body.message).toMatch(/^东城街道 still has \d+ child units, \d+ cameras, 1 users; only an empty unit can be deleted$/);
    const compound = await call(admin, 'DELETE', `/api/org/units/${unit('东城小区').id}`);
    expect(compound.status).toBe(409);
    expect(compound.body.message).toMatch(/74 cameras/);
    // The village of the demo's village officer.
    const village = await call(admin, 'DELETE', `/api/org/units/${unit('团结社区').id}`);
    expect(village.body.message).toContain('1 users');
  });

  it('deletes an empty unit; its id is never given to another; the name is free again', async () => {
    const before = await t.app.repos.events.lastSeq();
    const made = (await call(admin, 'POST', '/api/org/units', { parentId: unit('西湖镇').id, name: '临时社区' })).body;
    const gone = await call(admin, 'DELETE', `/api/org/units/${made.id}`);
    expect(gone.status, gone.body?.message).toBe(204);
    expect(await t.app.repos.orgUnits.byId(made.id)).toBeUndefined();
    expect((await call(admin, 'PATCH', `/api/org/units/${made.id}`, { nameEn: 'x' })).status).toBe(404);
    const [row] = (await auditRows('org.delete')).filter((r) => r.targetId === String(made.id));
    expect(row).toMatchObject({ orgUnitId: unit('西湖镇').id });
    expect(row.detail).toMatchObject({ name: '临时社区', code: made.code, level: 'village' });
    const events = (await t.app.repos.events.since('/', before, 10)).map((e) => e.payload);
    expect(events.at(-1)).toMatchObject({ action: 'delete', orgUnitId: made.id, parentId: unit('西湖镇').id });

    const again = (await call(admin, 'POST', '/api/org/units', { parentId: unit('西湖镇').id, name: '临时社区' })).body;
    expect(again.id).toBeGreaterThan(made.id);
  });

  it('refuses a unit with dispatch or link history, and the caller’s own unit', async () => {
    const compound = (await call(admin, 'POST', '/api/org/units', { parentId: unit('团结社区').id, name: '链接小区' })).body;
    await t.app.db.run(
      `INSERT INTO share_links (token_hash, org_unit_id, label, camera_ids, expires_at, max_viewers, created_by, created_at)
       VALUES ('h-org-test', ?, 'x', '[]', '2000-01-01T00:00:00Z', 1, 1, '2000-01-01T00:00:00Z')`, [compound.id],
    );
    const res = await call(admin, 'DELETE', `/api/org/units/${compound.id}`);
    expect([res.status, res.body.message]).toEqual([409, '链接小区 still has 1 resident links; only an empty unit can be deleted']);
    const own = await call(admin, 'DELETE', `/api/org/units/${unit('安澜县').id}`);
    expect(own.status).toBe(403);
    expect((await call(county, 'DELETE', `/api/org/units/${compound.id}`)).status).toBe(403);
  });
});

describe('an administrator of a township', () => {
  let townAdmin: Login;
  beforeAll(async () => {
    await t.app.repos.users.create({ username: 'dc-admin', displayName: '东城管理员', role: 'admin', orgUnitId: unit('东城街道').id, password: 'Dc-admin-2026' });
    townAdmin = await login(t.app, 'dc-admin', 'Dc-admin-2026');
  });

  it('works inside the township only: elsewhere is absent (404), its own unit is not to be moved or deleted (403)', async () => {
    const inside = await call(townAdmin, 'POST', '/api/org/units', { parentId: unit('东城街道').id, name: '镇管理员建的社区' });
    expect(inside.status, inside.body.message).toBe(201);
    expect((await call(townAdmin, 'POST', '/api/org/units', { parentId: unit('城关镇').id, name: '越界' })).body).toMatchObject({ statusCode: 404, field: 'parentId' });
    expect((await call(townAdmin, 'PATCH', `/api/org/units/${unit('城关镇').id}`, { nameEn: 'x' })).status).toBe(404);
    expect((await call(townAdmin, 'DELETE', `/api/org/units/${unit('城关镇').id}`)).status).toBe(404);
    expect((await call(townAdmin, 'POST', `/api/org/units/${inside.body.id}/move`, { parentId: unit('城关镇').id })).body)
      .toMatchObject({ statusCode: 404, field: 'parentId' });
    expect((await call(townAdmin, 'POST', `/api/org/units/${unit('东城街道').id}/move`, { parentId: unit('安澜县').id })).status).toBe(403);
    expect((await call(townAdmin, 'DELETE', `/api/org/units/${unit('东城街道').id}`)).status).toBe(403);
    // Renaming its own unit is allowed.
    expect((await call(townAdmin, 'PATCH', `/api/org/units/${unit('东城街道').id}`, { nameEn: 'Dongcheng' })).body.nameEn).toBe('Dongcheng');
    expect((await call(townAdmin, 'DELETE', `/api/org/units/${inside.body.id}`)).status).toBe(204);
  });
});
