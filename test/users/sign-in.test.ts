// Signing in to accounts an administrator made (issue #16): the forced password change gates every route but
// /api/auth/me, logout and the change itself (live routes and socket.io too); the password policy on the change;
// the per-account lockout after wrong passwords, identical for names that have no account; the administrator's unlock.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, SessionInfo } from '../../server/contracts/api';
import type { ManagedUser } from '../../server/contracts/users';
import { LOCK_MINUTES, MAX_FAILURES } from '../../server/users/lockout';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { createUser, GOOD_PASSWORD, units, userRow } from './helpers';

let t: TestApp;
let admin: Login;
let base: string;

const signIn = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

beforeAll(async () => {
  t = await buildTestApp({ login: { maxAttemptsPerMinute: 1000 } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  admin = await login(t.app, ...DEMO.admin);
});
afterAll(() => t?.close());

describe('the forced password change', () => {
  let session: Login;
  let initial: string;
  let cameraId: number;

  beforeAll(async () => {
    const u = await units(t);
    const made = await createUser(t, admin, { username: 'first.login', displayName: '首次登录', role: 'township_officer', orgUnitId: u.chengguan.id });
    initial = made.initialPassword;
    const res = await signIn('first.login', initial);
    expect(res.statusCode).toBe(200);
    expect(res.json<SessionInfo>()).toMatchObject({ mustChangePassword: true, user: { username: 'first.login' } });
    session = await login(t.app, 'first.login', initial);
    cameraId = (await t.app.repos.cameras.list(u.chengguan.path, { limit: 1 })).items[0].id;
  });

  it('lets through only me, logout and the change; everything else is 403 saying why', async () => {
    const me = await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json<SessionInfo>().mustChangePassword).toBe(true);
    for (const [method, url] of [
      ['GET', '/api/cameras'], ['GET', '/api/org/units'], ['GET', '/api/account/sessions'], ['GET', '/api/stats'],
      ['GET', `/live/${cameraId}/index.m3u8`], ['GET', `/api/cameras/${cameraId}/snapshot.jpg`], ['POST', '/api/layouts'],
    ] as const) {
      const res = await t.app.inject({ method, url, headers: session.headers, ...(method === 'POST' ? { payload: {} } : {}) });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(403);
      expect(res.json<ErrorBody>().message, url).toMatch(/^Password change required/);
    }
  });

  it('refuses a socket.io connection until the password is changed', async () => {
    const socket = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: session.cookie } });
    const outcome = await new Promise<string>((resolve) => {
      socket.once('session:ready', () => resolve('connected'));
      socket.once('connect_error', (err) => resolve(err.message));
    });
    socket.close();
    expect(outcome).toBe('password change required');
  });

  it('checks the current password and applies the policy to the new one (400 naming the field)', async () => {
    const cases: Array<[object, string, RegExp]> = [
      [{ currentPassword: 'not-it-at-all', newPassword: GOOD_PASSWORD }, 'currentPassword', /current password/],
      [{ currentPassword: initial, newPassword: initial }, 'newPassword', /differ/],
      [{ currentPassword: initial, newPassword: 'short' }, 'newPassword', /at least 10/],
      [{ currentPassword: initial, newPassword: 'First.Login-2026' }, 'newPassword', /username/],
      [{ currentPassword: initial, newPassword: 'Password123' }, 'newPassword', /common/],
    ];
    for (const [payload, field, message] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/account/password', headers: session.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<ErrorBody>()).toMatchObject({ field });
      expect(res.json<ErrorBody>().message).toMatch(message);
    }
  });

  it('opens the console once the password is changed, in the same session', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/account/password', headers: session.headers, payload: { currentPassword: initial, newPassword: GOOD_PASSWORD } });
    expect(res.statusCode, res.body).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: session.cookie } })).json<SessionInfo>().mustChangePassword).toBe(false);
    expect((await t.app.inject({ url: '/api/cameras?limit=1', headers: { cookie: session.cookie } })).statusCode).toBe(200);
    // Stored at the normal cost now, and the initial password is gone.
    expect(await t.app.repos.users.passwordHash((await t.app.repos.users.credentials('first.login'))!.id)).toMatch(/^scrypt\$16384\$/);
    expect((await signIn('first.login', initial)).statusCode).toBe(401);
    expect((await signIn('first.login', GOOD_PASSWORD)).json<SessionInfo>().mustChangePassword).toBe(false);
  });
});

describe('lockout after wrong passwords', () => {
  let id: number;
  beforeAll(async () => {
    const u = await units(t);
    const made = await createUser(t, admin, { username: 'lock.me', displayName: '锁定', role: 'township_officer', orgUnitId: u.dongcheng.id });
    id = made.user.id;
    const first = await login(t.app, 'lock.me', made.initialPassword);
    await t.app.inject({ method: 'POST', url: '/api/account/password', headers: first.headers, payload: { currentPassword: made.initialPassword, newPassword: GOOD_PASSWORD } });
  });

  it(`locks an account after ${MAX_FAILURES} wrong passwords in a row, and then refuses even the right one`, async () => {
    for (let i = 1; i < MAX_FAILURES; i++) {
      const res = await signIn('lock.me', `wrong-${i}-password`);
      expect(res.statusCode).toBe(401);
      expect(res.json<ErrorBody>().message).toBe('Wrong username or password');
    }
    const locking = await signIn('lock.me', 'wrong-last-password');
    expect(locking.statusCode).toBe(429);
    expect(Number(locking.headers['retry-after'])).toBe(LOCK_MINUTES * 60);
    expect(locking.json<ErrorBody>()).toMatchObject({ field: 'username' });
    const right = await signIn('lock.me', GOOD_PASSWORD);
    expect(right.statusCode).toBe(429);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(LOCK_MINUTES * 60 - 30);
    const row = await userRow(t, admin, id);
    expect(row).toMatchObject({ status: 'locked' });
    expect(Date.parse(row.lockedUntil!)).toBeGreaterThan(Date.now() + (LOCK_MINUTES - 1) * 60_000);
  });

  it('answers a name that has no account exactly as it answers an account', async () => {
    const ghost = [];
    for (let i = 0; i < MAX_FAILURES + 1; i++) ghost.push(await signIn('nobody.here', `wrong-${i}-password`));
    expect(ghost.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 429, 429]);
    expect(ghost[4].json<ErrorBody>()).toEqual((await signIn('lock.me', 'anything-at-all')).json<ErrorBody>());
    expect(Number(ghost[4].headers['retry-after'])).toBe(LOCK_MINUTES * 60);
  });

  it('is unlocked by an administrator (audited), and a success clears the count', async () => {
    const unlocked = await t.app.inject({ method: 'POST', url: `/api/users/${id}/unlock`, headers: admin.headers });
    expect(unlocked.json<ManagedUser>()).toMatchObject({ status: 'active', failedLogins: 0, lockedUntil: null });
    expect((await signIn('lock.me', 'one-more-wrong')).statusCode).toBe(401);
    expect((await userRow(t, admin, id)).failedLogins).toBe(1);
    expect((await signIn('lock.me', GOOD_PASSWORD)).statusCode).toBe(200);
    expect((await userRow(t, admin, id)).failedLogins).toBe(0);
  });

  it('ends by itself when the time is up', async () => {
    for (let i = 0; i < MAX_FAILURES; i++) await signIn('lock.me', `wrong-again-${i}`);
    expect((await signIn('lock.me', GOOD_PASSWORD)).statusCode).toBe(429);
    await t.app.db.run('UPDATE users SET locked_until = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), id]);
    expect((await signIn('lock.me', GOOD_PASSWORD)).statusCode).toBe(200);
  });

  it('writes the reason of each failure for administrators, never a password', async () => {
    const rows = await t.app.repos.audit.recent(200, 'auth.login-failed');
    const mine = rows.filter((r) => r.actorName === 'lock.me').map((r) => JSON.parse(r.detail!));
    expect(mine).toContainEqual({ reason: 'wrong-password' });
    expect(mine).toContainEqual({ reason: 'wrong-password', locked: true });
    expect(mine).toContainEqual({ reason: 'locked', locked: true });
    expect(JSON.stringify(rows)).not.toContain(GOOD_PASSWORD);
    expect(JSON.stringify(rows)).not.toContain('wrong-last-password');
  });
});
