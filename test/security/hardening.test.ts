// Web hardening of the gateway: security headers, no CORS for other origins, CSRF on every unsafe session route
// (generated from the route table), login throttling, cookie flags, evidence uploads checked by content.
// Covered elsewhere and not repeated here: socket.io clients from another origin or without a session are refused
// (test/server/realtime.test.ts; here only the raw HTTP handshake and its headers); evidence with wrong magic bytes, a
// truncated JPEG, bad base64 and over 2 MiB (413 naming evidenceJpeg/photoJpeg) in test/dispatch/bodies.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_B64 } from '../dispatch/helpers';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

describe('web hardening', () => {
  let t: TestApp;
  let county: Login;
  beforeAll(async () => {
    t = await buildTestApp({ login: { maxAttemptsPerMinute: 5 } });
    county = await login(t.app, ...DEMO.county);
  });
  afterAll(() => t.close());

  it('sends the security headers on pages and API answers; no HSTS unless the console is behind HTTPS', async () => {
    for (const url of ['/', '/api/health', '/api/cameras']) {
      const res = await t.app.inject({ method: 'GET', url });
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'self'");
      expect(csp, url).toContain("object-src 'none'");
      expect(csp, url).not.toContain('unsafe-eval');
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
      expect(res.headers['x-frame-options'], url).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      expect(res.headers['x-powered-by'], url).toBeUndefined();
    }
  });

  it('answers another origin without any CORS grant, simple or preflight', async () => {
    const simple = await t.app.inject({ method: 'GET', url: '/api/cameras', headers: { origin: 'http://evil', cookie: county.cookie } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
    expect(simple.headers['access-control-allow-credentials']).toBeUndefined();
    const preflight = await t.app.inject({
      method: 'OPTIONS', url: '/api/dangers',
      headers: { origin: 'http://evil', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token,content-type' },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(preflight.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('refuses a cross-origin socket.io handshake at the HTTP level, with no CORS grant; same origin is let through', async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };
    const handshake = (origin?: string) => fetch(`http://127.0.0.1:${port}/socket.io/?EIO=4&transport=polling`, {
      headers: { cookie: county.cookie, ...(origin ? { origin } : {}) },
    });
    const evil = await handshake('http://evil');
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    await evil.text();
    const same = await handshake(`http://127.0.0.1:${port}`);
    expect(same.status).toBe(200);
    expect(same.headers.get('access-control-allow-origin')).toBeNull();
    expect(await same.text()).toMatch(/^0\{"sid"/);
  });

  it('refuses every unsafe session route with 403 when the CSRF header is missing or wrong (from the route table)', async () => {
    const routes = t.app.routeTable.filter((r) => UNSAFE.has(r.method) && r.auth === 'session');
    expect(routes.length).toBeGreaterThan(20);
    const wrong: string[] = [];
    for (const r of routes) {
      const url = r.url.replace(/:[A-Za-z]+/g, '1');
      for (const token of [undefined, 'wrong-token', county.csrfToken.slice(0, -1), `${county.csrfToken} `]) {
        const headers: Record<string, string> = { cookie: county.cookie, 'content-type': 'application/json' };
        if (token !== undefined) headers['x-csrf-token'] = token;
        const res = await t.app.inject({ method: r.method as 'POST', url, headers, payload: '{}' });
        if (res.statusCode !== 403 || !/csrf/i.test(res.json().message)) wrong.push(`${r.method} ${url} token=${token}: ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
    // Another session's token is no better than none.
    const other = await login(t.app, ...DEMO.dongcheng);
    const crossed = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: county.cookie, 'x-csrf-token': other.csrfToken } });
    expect(crossed.statusCode).toBe(403);
  });

  it('throttles logins per address: 429 with Retry-After after N attempts, while another address still gets in', async () => {
    const from = '127.0.0.42';
    const codes: number[] = [];
    let retryAfter: string | undefined;
    // A different name each time: five wrong passwords for one name would lock that name first (the per-account
    // lockout, test/users/sign-in.test.ts), and this is about the address.
    for (let i = 0; i < 8; i++) {
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, payload: { username: `guesser-${i}`, password: `guess-${i}` } });
      codes.push(res.statusCode);
      if (res.statusCode === 429) {
        retryAfter = String(res.headers['retry-after']);
        expect(res.json()).toMatchObject({ statusCode: 429, error: 'Too Many Requests' });
      }
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    // Even the right password waits out the window on that address.
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: from, payload: { username: 'admin', password: 'admin123' } });
    expect(right.statusCode).toBe(429);
    const elsewhere = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.0.0.43', payload: { username: 'admin', password: 'admin123' } });
    expect(elsewhere.statusCode).toBe(200);
  });

  it('sets the session cookie HttpOnly, SameSite=Strict, Path=/, with a lifetime, and without Secure on plain HTTP', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.0.0.44', payload: { username: 'village', password: 'village123' } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^cvc_session=[A-Za-z0-9_-]{20,};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=\d+/);
    expect(cookie).not.toMatch(/; Secure/);
    // Logging out clears it on the same path.
    const s = await login(t.app, ...DEMO.chengguan);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: s.headers });
    expect(String(out.headers['set-cookie'])).toMatch(/^cvc_session=;.*Path=\/.*Expires=Thu, 01 Jan 1970/);
  });

  it('refuses evidence that is declared as another type, or sent as multipart or raw bytes, naming the field', async () => {
    const cameraId = (await t.app.repos.cameras.list('/', { limit: 1 })).items[0].id;
    const tag = (evidenceJpeg: string) => ({ cameraId, capturedAt: new Date().toISOString(), category: 'fire', severity: 'general', evidenceJpeg });
    const png = await t.app.inject({ method: 'POST', url: '/api/dangers', headers: county.headers, payload: tag(`data:image/png;base64,${FRAME_B64}`) });
    expect([png.statusCode, png.json().field]).toEqual([400, 'evidenceJpeg']);
    const svg = await t.app.inject({ method: 'POST', url: '/api/dangers', headers: county.headers, payload: tag(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64')) });
    expect([svg.statusCode, svg.json().field]).toEqual([400, 'evidenceJpeg']);
    for (const [contentType, payload] of [
      ['multipart/form-data; boundary=x', `--x\r\nContent-Disposition: form-data; name="evidenceJpeg"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n${FRAME_B64}\r\n--x--\r\n`],
      ['image/jpeg', Buffer.from(FRAME_B64, 'base64')],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: '/api/dangers', headers: { ...county.headers, 'content-type': contentType }, payload });
      expect(res.statusCode, contentType).toBe(415);
      expect(res.json()).toMatchObject({ statusCode: 415 });
    }
  });
});

describe('web hardening behind HTTPS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ session: { secureCookie: true } });
  });
  afterAll(() => t.close());

  it('marks the session cookie Secure and sends HSTS', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'county', password: 'county123' } });
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    const page = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(page.headers['strict-transport-security']).toBe('max-age=31536000');
  });
});
