// The one-time setup over the API on a production database (demo off, nothing in it): the token flow from "setup
// needed" to 410, the fields refused by name, the county root and the first administrator created together, and no
// secret in any answer, audit row or detail.
import { readFileSync, statSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TOKEN_FILE } from '../../server/setup/setup-token';
import { buildTestApp, login } from '../helpers/app';
import { ADMIN_PASSWORD, appOn, COUNTY } from './helpers';

const body = (token: string, patch: { county?: object; admin?: object } = {}) => ({
  token,
  county: { ...COUNTY, ...patch.county },
  admin: { username: 'zhang.wei', displayName: '张伟', password: ADMIN_PASSWORD, ...patch.admin },
});

describe('first start: setup with the token', () => {
  let dataDir: string;
  let app: FastifyInstance;
  let token: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cvc-setup-'));
    // More attempts than the default throttle (10 a minute) allows: the throttle has a test of its own below.
    app = await appOn(dataDir, { login: { maxAttemptsPerMinute: 100 } });
    token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) => app.inject({ method: 'POST', url: '/api/setup', payload: payload as object, headers });

  it('starts empty, says setup is needed, and keeps a 256-bit token owner-only', async () => {
    expect(await app.repos.orgUnits.count()).toBe(0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(statSync(join(dataDir, SETUP_TOKEN_FILE)).mode & 0o777).toBe(0o600);
    const status = await app.inject({ url: '/api/setup' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toEqual({ needed: true, county: null });
    expect(status.body).not.toContain(token);
    // Nobody can sign in yet: the login has nobody to let in.
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin123' } })).statusCode).toBe(401);
  });

  it('refuses a wrong token with 403 and audits the attempt without the token', async () => {
    const wrong = await post(body('not-the-token'));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ statusCode: 403, error: 'Forbidden' });
    const tooShort = await post(body(token.slice(0, -1)));
    expect(tooShort.statusCode).toBe(403);
    const [row] = await app.repos.audit.recent(5, 'setup.token-rejected');
    expect(row).toMatchObject({ actorType: 'anonymous', actorName: 'zhang.wei', ip: '127.0.0.1' });
    expect(JSON.stringify(await app.repos.audit.recent(50))).not.toContain(token.slice(0, 20));
    expect(await app.repos.orgUnits.count()).toBe(0);
  });

  it('names the field that is wrong (400), creating nothing', async () => {
    const cases: Array<[object, string]> = [
      [{ county: { code: '33990' } }, 'county.code'],
      [{ county: { code: '339900' } }, 'county.code'],
      [{ county: { name: '   ' } }, 'county.name'],
      [{ admin: { username: '张伟' } }, 'admin.username'],
      [{ admin: { displayName: '' } }, 'admin.displayName'],
      [{ admin: { password: 'short' } }, 'admin.password'],
      [{ admin: { password: 'zhang.wei-2026-x' } }, 'admin.password'],
      [{ admin: { password: 'admin12345' } }, 'admin.password'],
    ];
    for (const [patch, field] of cases) {
      const res = await post(body(token, patch));
      expect(res.statusCode, `${JSON.stringify(patch)}: ${res.body}`).toBe(400);
      expect(res.json().field, JSON.stringify(patch)).toBe(field);
      expect(res.body).not.toContain(ADMIN_PASSWORD);
    }
    const extra = await post({ ...body(token), role: 'admin' });
    expect(extra.json()).toMatchObject({ statusCode: 400, field: 'role' });
    const missing = await post({ token, admin: body(token).admin });
    expect(missing.json()).toMatchObject({ statusCode: 400, field: 'county' });
    expect(await app.repos.orgUnits.count()).toBe(0);
    expect(existsSync(join(dataDir, SETUP_TOKEN_FILE))).toBe(true);
  });

  it('creates the county root and the first administrator, then the token is gone and setup answers 410', async () => {
    const res = await post(body(token));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ user: { username: 'zhang.wei' }, county: { name: COUNTY.name, code: COUNTY.code } });
    expect(res.body).not.toContain(ADMIN_PASSWORD);
    expect(existsSync(join(dataDir, SETUP_TOKEN_FILE))).toBe(false);
    expect((await app.inject({ url: '/api/setup' })).json()).toEqual({ needed: false, county: null });
    expect((await post(body(token))).statusCode).toBe(410);
    expect((await post(body(token, { admin: { username: 'second.admin' } }))).json()).toMatchObject({ statusCode: 410, error: 'Gone' });
    // Even a malformed body after setup is answered (400 by the schema), never a 500.
    expect((await post({})).statusCode).toBe(400);

    const [root] = await app.repos.orgUnits.subtree('/');
    expect(root).toMatchObject({ id: created.county.id, code: COUNTY.code, name: COUNTY.name, level: 'county', parent_id: null });
    expect(await app.repos.orgUnits.count()).toBe(1);
  });

  it('lets the new administrator sign in, scoped to the whole county', async () => {
    const session = await login(app, 'zhang.wei', ADMIN_PASSWORD);
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(me.json().user).toMatchObject({ username: 'zhang.wei', displayName: '张伟', role: 'admin', orgUnitName: COUNTY.name });
    const units = await app.inject({ url: '/api/org/units', headers: { cookie: session.cookie } });
    expect(units.statusCode, units.body).toBe(200);
    expect(JSON.stringify(units.json())).toContain(COUNTY.code);
    const audit = await app.inject({ url: '/api/audit?action=setup.first-admin', headers: { cookie: session.cookie } });
    const [row] = audit.json().items;
    expect(row).toMatchObject({
      actorType: 'user', actorName: 'zhang.wei', targetType: 'user', targetId: String(me.json().user.id), orgUnitId: me.json().user.orgUnitId, ip: '127.0.0.1',
      detail: { via: 'web', username: 'zhang.wei', county: COUNTY, rootCreated: true },
    });
    const everything = JSON.stringify(await app.repos.audit.recent(100));
    expect(everything).not.toContain(ADMIN_PASSWORD);
    expect(everything).not.toContain(token.slice(0, 20));
  });
});

describe('setup races and settled consoles', () => {
  it('lets exactly one of two simultaneous setups through', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cvc-setup-race-'));
    const app = await appOn(dataDir);
    try {
      const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
      const results = await Promise.all(['first.admin', 'other.admin'].map((username) =>
        app.inject({ method: 'POST', url: '/api/setup', payload: body(token, { admin: { username } }) })));
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 410]);
      expect((await app.db.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n).toBe(1);
      expect(await app.repos.orgUnits.count()).toBe(1);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('adds only the administrator to a database that has its county root already (and refuses another county)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cvc-setup-root-'));
    const app = await appOn(dataDir);
    try {
      const [root] = await app.repos.orgUnits.insertMany([{ code: COUNTY.code, name: COUNTY.name, level: 'county', parent: null }]);
      expect((await app.inject({ url: '/api/setup' })).json()).toEqual({ needed: true, county: COUNTY });
      const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
      const other = await app.inject({ method: 'POST', url: '/api/setup', payload: body(token, { county: { code: '110101', name: '东城区' } }) });
      expect(other.statusCode).toBe(409);
      expect(other.json().field).toBe('county.code');
      const res = await app.inject({ method: 'POST', url: '/api/setup', payload: body(token) });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().county.id).toBe(root!.id);
      expect(await app.repos.orgUnits.count()).toBe(1);
      const [row] = await app.repos.audit.recent(1, 'setup.first-admin');
      expect(JSON.parse(row!.detail!)).toMatchObject({ rootCreated: false });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('throttles setup attempts per address like logins (429)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cvc-setup-throttle-'));
    const app = await appOn(dataDir, { login: { maxAttemptsPerMinute: 3 } });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'POST', url: '/api/setup', payload: body('wrong-token') })).statusCode);
      expect(statuses).toEqual([403, 403, 403, 429]);
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps the token across a restart before setup, and writes none for a console with users', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cvc-setup-restart-'));
    try {
      const first = await appOn(dataDir);
      const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
      await first.close();
      const second = await appOn(dataDir);
      expect(readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim()).toBe(token);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    const demo = await buildTestApp();
    try {
      expect((await demo.app.inject({ url: '/api/setup' })).json()).toEqual({ needed: false, county: null });
      expect(existsSync(join(demo.dataDir, SETUP_TOKEN_FILE))).toBe(false);
      const res = await demo.app.inject({ method: 'POST', url: '/api/setup', payload: body('anything') });
      expect(res.statusCode).toBe(410);
    } finally {
      await demo.close();
    }
  });
});
