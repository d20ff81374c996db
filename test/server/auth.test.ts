import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, DEMO, login, type TestApp } from '../helpers/app';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ login: { maxAttemptsPerMinute: 8 } });
  });
  afterAll(() => t.close());

  it('signs in with a demo login and returns the user with an HttpOnly SameSite=Strict cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county', password: 'county123' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ username: 'county', role: 'county_operator', orgUnitName: '安澜县' });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    // No password or hash in the answer; the one field whose name says "password" is the forced-change flag.
    expect(res.json()).toMatchObject({ mustChangePassword: false });
    expect(res.body.replace('"mustChangePassword"', '')).not.toMatch(/password|scrypt/i);
  });

  it('refuses a wrong password with 401 and records the failure', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county', password: 'nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().message).toBe('Wrong username or password');
    const audit = await t.app.repos.audit.recent(5, 'auth.login-failed');
    expect(audit[0]).toMatchObject({ actorType: 'anonymous', actorName: 'county' });
  });

  it('answers an invalid body with 400 naming the field', async () => {
    const missing = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ field: 'password' });
    const extra = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'a', password: 'b', admin: true } });
    expect(extra.statusCode).toBe(400);
    expect(extra.json()).toMatchObject({ field: 'admin' });
    const empty = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '', password: 'b' } });
    expect(empty.json()).toMatchObject({ statusCode: 400, field: 'username' });
  });

  it('restores the session with /me, demands the CSRF header to log out, then forgets the session', async () => {
    const s = await login(t.app, ...DEMO.chengguan);
    const me = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.json()).toMatchObject({ user: { username: 'chengguan', orgUnitName: '城关镇' }, csrfToken: s.csrfToken });

    const noCsrf = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: s.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(200);

    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(out.statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie } })).statusCode).toBe(401);
  });

  it('rejects forged and missing session cookies', async () => {
    for (const cookie of [undefined, 'cvc_session=forged', `cvc_session=${'x'.repeat(500)}`]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/cameras', headers: cookie ? { cookie } : {} });
      expect(res.statusCode).toBe(401);
    }
  });

  it('throttles repeated login attempts from one address with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: `guess${i}` }, remoteAddress: '127.0.0.9' });
      codes.push(res.statusCode);
    }
    expect(codes).toContain(429);
    expect(codes.filter((c) => c === 401).length).toBeLessThanOrEqual(8);
  });
});
