// 用户管理 over the real API (issue #16): create, list, edit, disable/enable, delete (soft), reset a password, unlock;
// an administrator's area and the roles that fit a unit; nobody raises their own rights.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody } from '../../server/contracts/api';
import type { ManagedUser, UserPage, UserWithPassword } from '../../server/contracts/users';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { activate, createUser, GOOD_PASSWORD, units, userRow, type UnitName } from './helpers';

let t: TestApp;
let admin: Login;
let u: Record<UnitName, { id: number; name: string; path: string }>;
/** An administrator of 城关镇, created by the county administrator and signed in. */
let townAdmin: Login;
let townAdminId: number;

const call = (who: Login, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

beforeAll(async () => {
  t = await buildTestApp({ login: { maxAttemptsPerMinute: 1000 } });
  admin = await login(t.app, ...DEMO.admin);
  u = await units(t);
  const made = await createUser(t, admin, { username: 'cg-admin', displayName: '城关镇管理员', role: 'admin', orgUnitId: u.chengguan.id });
  townAdminId = made.user.id;
  townAdmin = await activate(t, 'cg-admin', made.initialPassword);
});
afterAll(() => t?.close());

describe('creating an account', () => {
  it('answers the account and a generated initial password once; the hash is not in the answer', async () => {
    const res = await call(admin, 'POST', '/api/users', {
      username: 'zhang.wei', displayName: '张伟', role: 'township_officer', orgUnitId: u.dongcheng.id, phone: '+86 138-0000-0001',
    });
    expect(res.statusCode, res.body).toBe(201);
    const { user, initialPassword } = res.json<UserWithPassword>();
    expect(user).toMatchObject({
      username: 'zhang.wei', displayName: '张伟', role: 'township_officer', orgUnitId: u.dongcheng.id, orgUnitPath: '安澜县/东城街道',
      phone: '+86 138-0000-0001', status: 'active', mustChangePassword: true, disabled: false, deletedAt: null,
    });
    expect(initialPassword).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    expect(res.body).not.toContain('scrypt');
    // Stored hashed (at the generated-password cost), never in clear.
    const hash = (await t.app.repos.users.passwordHash(user.id))!;
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(hash).not.toContain(initialPassword);
    // The password is not shown again anywhere.
    expect((await call(admin, 'GET', `/api/users/${user.id}`)).body).not.toContain(initialPassword);
  });

  it('refuses bad fields with 400 naming them', async () => {
    const cases: Array<[object, string]> = [
      [{ username: 'x', displayName: 'a', role: 'admin', orgUnitId: u.county.id }, 'username'],
      [{ username: '王五', displayName: 'a', role: 'admin', orgUnitId: u.county.id }, 'username'],
      [{ username: 'ok-name', displayName: '', role: 'admin', orgUnitId: u.county.id }, 'displayName'],
      [{ username: 'ok-name', displayName: 'a', role: 'boss', orgUnitId: u.county.id }, 'role'],
      [{ username: 'ok-name', displayName: 'a', role: 'admin', orgUnitId: u.county.id, phone: 'call me' }, 'phone'],
      [{ username: 'ok-name', displayName: 'a', role: 'admin', orgUnitId: u.county.id, password: 'Chosen-Password-1' }, 'password'],
    ];
    for (const [payload, field] of cases) {
      const res = await call(admin, 'POST', '/api/users', payload);
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(400);
      expect(res.json<ErrorBody>().field).toBe(field);
    }
  });

  it('puts each role only on a unit of its level (400 naming role)', async () => {
    const wrong: Array<[string, UnitName]> = [
      ['county_operator', 'chengguan'], ['township_officer', 'county'], ['township_officer', 'dongfeng'], ['village_officer', 'dongcheng'],
    ];
    for (const [role, unit] of wrong) {
      const res = await call(admin, 'POST', '/api/users', { username: `fit-${role.slice(0, 6)}-${unit}`, displayName: 'x', role, orgUnitId: u[unit].id });
      expect(res.statusCode, `${role} at ${unit}: ${res.body}`).toBe(400);
      expect(res.json<ErrorBody>()).toMatchObject({ field: 'role' });
    }
    for (const [role, unit] of [['county_operator', 'county'], ['village_officer', 'dongfeng'], ['admin', 'dongfeng']] as const) {
      await createUser(t, admin, { username: `fits-${role.slice(0, 6)}-${unit}`, displayName: 'x', role, orgUnitId: u[unit].id });
    }
  });

  it('never gives a username twice, in any case, deleted accounts included (409 naming username)', async () => {
    const first = await createUser(t, admin, { username: 'li.na', displayName: '李娜', role: 'township_officer', orgUnitId: u.chengguan.id });
    const again = await call(admin, 'POST', '/api/users', { username: 'LI.NA', displayName: '李娜', role: 'township_officer', orgUnitId: u.chengguan.id });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().field).toBe('username');
    expect((await call(admin, 'DELETE', `/api/users/${first.user.id}`)).statusCode).toBe(204);
    const afterDelete = await call(admin, 'POST', '/api/users', { username: 'li.na', displayName: '李娜', role: 'township_officer', orgUnitId: u.chengguan.id });
    expect(afterDelete.statusCode).toBe(409);
  });
});

describe('an administrator of a township', () => {
  it('cannot create a county operator (403 naming role), nor anything outside the township (404)', async () => {
    const res = await call(townAdmin, 'POST', '/api/users', { username: 'cg-county', displayName: 'x', role: 'county_operator', orgUnitId: u.county.id });
    expect(res.statusCode).toBe(403);
    expect(res.json<ErrorBody>()).toMatchObject({ statusCode: 403, field: 'role' });
    expect(res.json<ErrorBody>().message).toMatch(/county operator/);
    const outside = await call(townAdmin, 'POST', '/api/users', { username: 'cg-dc', displayName: 'x', role: 'township_officer', orgUnitId: u.dongcheng.id });
    expect(outside.statusCode).toBe(404);
    expect(outside.json<ErrorBody>().field).toBe('orgUnitId');
  });

  it('creates officers of the township and its villages', async () => {
    await createUser(t, townAdmin, { username: 'cg-officer', displayName: '城关值班', role: 'township_officer', orgUnitId: u.chengguan.id });
    await createUser(t, townAdmin, { username: 'cg-village', displayName: '村网格员', role: 'village_officer', orgUnitId: u.chengguanVillage.id });
  });

  it('lists only accounts of the township; others answer 404 as if absent', async () => {
    const page = (await call(townAdmin, 'GET', '/api/users?limit=500')).json<UserPage>();
    expect(page.items.length).toBeGreaterThanOrEqual(4);
    expect(page.items.every((x) => x.orgUnitPath.startsWith('安澜县/城关镇'))).toBe(true);
    expect(page.items.map((x) => x.username)).toEqual(expect.arrayContaining(['chengguan', 'cg-admin', 'cg-officer', 'cg-village']));
    const dongcheng = (await t.app.repos.users.credentials('dongcheng'))!.id;
    for (const [method, url] of [['GET', ''], ['PATCH', ''], ['POST', '/disable'], ['POST', '/reset-password'], ['POST', '/unlock'], ['DELETE', '']] as const) {
      const res = await call(townAdmin, method, `/api/users/${dongcheng}${url}`, method === 'PATCH' ? { displayName: 'x' } : undefined);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await call(townAdmin, 'GET', `/api/users?orgUnitId=${u.dongcheng.id}`)).statusCode).toBe(404);
  });

  it('cannot raise its own role or area, nor disable, delete or reset itself (403)', async () => {
    const move = await call(townAdmin, 'PATCH', `/api/users/${townAdminId}`, { orgUnitId: u.chengguanVillage.id });
    expect(move.statusCode).toBe(403);
    expect(move.json<ErrorBody>().field).toBe('orgUnitId');
    const role = await call(townAdmin, 'PATCH', `/api/users/${townAdminId}`, { role: 'township_officer' });
    expect(role.statusCode).toBe(403);
    expect(role.json<ErrorBody>().field).toBe('role');
    for (const action of ['disable', 'reset-password']) expect((await call(townAdmin, 'POST', `/api/users/${townAdminId}/${action}`)).statusCode).toBe(403);
    expect((await call(townAdmin, 'DELETE', `/api/users/${townAdminId}`)).statusCode).toBe(403);
    // Its own name and phone are fine, and an unchanged role is no change.
    const own = await call(townAdmin, 'PATCH', `/api/users/${townAdminId}`, { displayName: '城关镇系统管理员', role: 'admin', phone: '0571-1234567' });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json<ManagedUser>()).toMatchObject({ displayName: '城关镇系统管理员', phone: '0571-1234567', role: 'admin' });
  });

  it('is not an admin of the county: the county admin is out of reach', async () => {
    const countyAdmin = (await t.app.repos.users.credentials('admin'))!.id;
    expect((await call(townAdmin, 'POST', `/api/users/${countyAdmin}/disable`)).statusCode).toBe(404);
  });
});

describe('changing an account', () => {
  it('edits name, phone, role and unit; a new role or unit ends the user\'s sessions', async () => {
    const made = await createUser(t, admin, { username: 'wang.fang', displayName: '王芳', role: 'township_officer', orgUnitId: u.dongcheng.id });
    const session = await activate(t, 'wang.fang', made.initialPassword);
    const rename = await call(admin, 'PATCH', `/api/users/${made.user.id}`, { displayName: '王芳芳', phone: null });
    expect(rename.json<ManagedUser>()).toMatchObject({ displayName: '王芳芳', phone: null });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(200);

    const moved = await call(admin, 'PATCH', `/api/users/${made.user.id}`, { orgUnitId: u.chengguan.id });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<ManagedUser>()).toMatchObject({ orgUnitId: u.chengguan.id, orgUnitPath: '安澜县/城关镇' });
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);

    // A village unit does not take a township officer: name the field that made it wrong.
    const bad = await call(admin, 'PATCH', `/api/users/${made.user.id}`, { orgUnitId: u.chengguanVillage.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<ErrorBody>().field).toBe('orgUnitId');
    const both = await call(admin, 'PATCH', `/api/users/${made.user.id}`, { orgUnitId: u.chengguanVillage.id, role: 'village_officer' });
    expect(both.json<ManagedUser>()).toMatchObject({ role: 'village_officer', orgUnitId: u.chengguanVillage.id });
  });

  it('disables (sessions end, sign-in refused as a wrong password would be) and enables again', async () => {
    const made = await createUser(t, admin, { username: 'zhao.lei', displayName: '赵磊', role: 'township_officer', orgUnitId: u.dongcheng.id });
    const session = await activate(t, 'zhao.lei', made.initialPassword);
    const disabled = await call(admin, 'POST', `/api/users/${made.user.id}/disable`);
    expect(disabled.json<ManagedUser>()).toMatchObject({ status: 'disabled', disabled: true });
    expect((await t.app.inject({ url: '/api/cameras?limit=1', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    const refused = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhao.lei', password: GOOD_PASSWORD } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json<ErrorBody>().message).toBe('Wrong username or password');
    expect((await call(admin, 'GET', '/api/users?status=disabled')).json<UserPage>().items.map((x) => x.username)).toContain('zhao.lei');

    expect((await call(admin, 'POST', `/api/users/${made.user.id}/enable`)).json<ManagedUser>().status).toBe('active');
    expect((await login(t.app, 'zhao.lei', GOOD_PASSWORD)).cookie).toBeTruthy();
  });

  it('deletes softly: history keeps the row and the name, the account never signs in again', async () => {
    const made = await createUser(t, admin, { username: 'sun.li', displayName: '孙丽', role: 'village_officer', orgUnitId: u.dongfeng.id });
    const session = await activate(t, 'sun.li', made.initialPassword);
    expect((await call(admin, 'DELETE', `/api/users/${made.user.id}`)).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'sun.li', password: GOOD_PASSWORD } })).statusCode).toBe(401);
    const listed = (await call(admin, 'GET', '/api/users?limit=500')).json<UserPage>().items.map((x) => x.username);
    expect(listed).not.toContain('sun.li');
    const deleted = (await call(admin, 'GET', '/api/users?status=deleted')).json<UserPage>().items;
    expect(deleted.find((x) => x.username === 'sun.li')).toMatchObject({ status: 'deleted', displayName: '孙丽' });
    // A deleted account takes no further change.
    expect((await call(admin, 'POST', `/api/users/${made.user.id}/enable`)).statusCode).toBe(409);
  });

  it('resets a password: a new one answered once, sessions end, the next sign-in must change it', async () => {
    const made = await createUser(t, admin, { username: 'zhou.jie', displayName: '周杰', role: 'township_officer', orgUnitId: u.dongcheng.id });
    const session = await activate(t, 'zhou.jie', made.initialPassword);
    expect((await userRow(t, admin, made.user.id)).mustChangePassword).toBe(false);
    const reset = await call(admin, 'POST', `/api/users/${made.user.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const { initialPassword, user } = reset.json<UserWithPassword>();
    expect(initialPassword).not.toBe(made.initialPassword);
    expect(user.mustChangePassword).toBe(true);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'zhou.jie', password: GOOD_PASSWORD } })).statusCode).toBe(401);
    const again = await login(t.app, 'zhou.jie', initialPassword);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: again.cookie } });
    expect(me.json()).toMatchObject({ mustChangePassword: true });
  });

  it('filters by unit, role, status and text', async () => {
    const byUnit = (await call(admin, 'GET', `/api/users?orgUnitId=${u.dongcheng.id}&limit=500`)).json<UserPage>();
    expect(byUnit.items.every((x) => x.orgUnitPath.startsWith('安澜县/东城街道'))).toBe(true);
    expect(byUnit.items.map((x) => x.username)).toEqual(expect.arrayContaining(['dongcheng', 'village']));
    const officers = (await call(admin, 'GET', '/api/users?role=village_officer&limit=500')).json<UserPage>();
    expect(officers.items.length).toBeGreaterThan(0);
    expect(officers.items.every((x) => x.role === 'village_officer')).toBe(true);
    const found = (await call(admin, 'GET', `/api/users?q=${encodeURIComponent('东城街道值班')}`)).json<UserPage>();
    expect(found.items.map((x) => x.username)).toEqual(['dongcheng']);
    const paged = (await call(admin, 'GET', '/api/users?limit=2&offset=1')).json<UserPage>();
    expect(paged.items).toHaveLength(2);
    expect(paged.total).toBeGreaterThan(5);
    expect((await call(admin, 'GET', '/api/users?q=%25')).json<UserPage>().items).toHaveLength(0);
  });

  it('is for administrators only', async () => {
    const county = await login(t.app, ...DEMO.county);
    expect((await call(county, 'GET', '/api/users')).statusCode).toBe(403);
    expect((await call(county, 'POST', '/api/users', { username: 'nope', displayName: 'x', role: 'admin', orgUnitId: u.county.id })).statusCode).toBe(403);
  });
});
