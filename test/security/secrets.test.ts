// Secrets never leak: a realistic session against the real gateway (its own logger options, writing to a captured
// stream, request logging on as with LOG_REQUESTS=1) with simulated cameras that have passwords. Every response body
// and header and every log line (pino, and whatever relay workers print) is collected, then searched for camera
// passwords, session cookies, CSRF tokens, resident tokens, the session secret and the vault key.
// Simulator indexes 3640–3649 are this file's (the 3600–3649 range of test/security).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import fp from 'fastify-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import app from '../../server/app';
import { loadConfig } from '../../server/config';
import { COMPOUND_NAME } from '../../server/demo/county';
import { gatewayLoggerOptions } from '../../server/logger';
import { FRAME_B64 } from '../dispatch/helpers';
import { DEMO, TEST_SIMULATOR_NET } from '../helpers/app';

const SESSION_SECRET = 'session-secret-7b1d9e0c4a5f-never-shown';
/** Passwords this test types in (the simulator's own are Sim-<index>-pass). */
const TYPED = {
  imported: 'Imp0rt-S3cret!x', profile: 'Pr0file-S3cret#y', discovery: 'Disc0very-S3cret$z', urlEmbedded: 'UrlEmb3dded-S3cret',
  wrongProbe: 'Wr0ng-Pr0be-S3cret',
  userChosen: 'Us3r-Ch0sen-S3cret', userWrong: 'Us3r-Wr0ng-Guess',
};
const SIM_PASSWORD = /Sim-\d+-pass/;
/** Any URL with user:password@ in it, whatever the password. */
const URL_WITH_CREDENTIALS = /[a-z][a-z0-9+.-]*:\/\/[^\s/@"'<>]+:[^\s/@"'<>]*@/i;

interface Seen {
  where: string;
  text: string;
}

describe('secrets never appear in responses or logs', () => {
  let fastify: FastifyInstance;
  let dataDir: string;
  const logLines: string[] = [];
  const printed: string[] = [];
  const responses: Seen[] = [];
  /** Session cookie values, each allowed only in the Set-Cookie header of the response that set it. */
  const cookies = new Set<string>();
  /** Bearer tokens that are fine in the answers that hand them out (and in resident playlist URIs), never in logs. */
  const tokens = new Set<string>();
  const csrfTokens = new Set<string>();
  /** Initial passwords the server generated: only in the one answer that hands each out (create, reset, import). */
  const initialPasswords = new Set<string>();
  const cams: SimCamera[] = [];
  const restore: Array<() => void> = [];

  /** Everything the relay workers and node-media-server print goes to stdout/stderr: captured too. */
  function capturePrinted() {
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        printed.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write;
      restore.push(() => { stream.write = write; });
    }
  }

  async function call(method: string, url: string, opts: { cookie?: string; csrf?: string; payload?: unknown; ip?: string } = {}) {
    const headers: Record<string, string> = {};
    if (opts.cookie) headers.cookie = opts.cookie;
    if (opts.csrf) headers['x-csrf-token'] = opts.csrf;
    const res = await fastify.inject({ method: method as 'GET', url, headers, payload: opts.payload as string, remoteAddress: opts.ip });
    const setCookie = [res.headers['set-cookie'] ?? []].flat().map(String);
    for (const c of setCookie) {
      const value = /^cvc_session=([^;]*)/.exec(c)?.[1];
      if (value) cookies.add(value);
    }
    const { 'set-cookie': _sc, ...otherHeaders } = res.headers;
    responses.push({ where: `${method} ${url} → ${res.statusCode} body`, text: res.body });
    responses.push({ where: `${method} ${url} → headers`, text: JSON.stringify(otherHeaders) });
    responses.push({ where: `${method} ${url} → set-cookie`, text: setCookie.join('\n') });
    return res;
  }

  async function signIn(username: string, password: string) {
    const res = await call('POST', '/api/auth/login', { payload: { username, password } });
    expect(res.statusCode).toBe(200);
    const cookie = String([res.headers['set-cookie']].flat()[0]).split(';')[0];
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    csrfTokens.add(csrf);
    return { cookie, csrf };
  }

  beforeAll(async () => {
    capturePrinted();
    dataDir = mkdtempSync(join(tmpdir(), 'cvc-secrets-'));
    const config = loadConfig({
      env: {},
      overrides: {
        host: '127.0.0.1', port: 0, dataDir, session: { secret: SESSION_SECRET },
        demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET }, health: { enabled: false },
        media: { stallTimeoutSec: 5, maxRelays: 8 },
      },
    });
    const stream = new Writable({ write(chunk, _enc, done) { logLines.push(...String(chunk).split('\n').filter(Boolean)); done(); } });
    // The gateway's own logger options, at the most talkative level, with every request logged (LOG_REQUESTS=1).
    fastify = Fastify({ logger: { ...gatewayLoggerOptions('trace'), stream }, logController: new LogController({ disableRequestLogging: false }) });
    await fastify.register(fp(app), { config });
    await fastify.ready();
  }, 60_000);

  afterAll(async () => {
    await fastify?.close();
    await Promise.all(cams.map((c) => c.close()));
    restore.forEach((r) => r());
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a realistic session: logins, cameras, live, import, profiles, discovery, probes, share links, evidence', async () => {
    const admin = await signIn(...DEMO.admin);
    const county = await signIn(...DEMO.county);
    const as = (s: { cookie: string; csrf: string }) => ({ cookie: s.cookie, csrf: s.csrf });
    expect((await call('POST', '/api/auth/login', { payload: { username: 'county', password: 'wrong-password-x' } })).statusCode).toBe(401);

    const compound = (await fastify.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const town = (await fastify.repos.orgUnits.findByCode('339901002'))!;
    // Simulated cameras with passwords: one plays, one refuses its password, one is found by discovery.
    const add = async (index: number, unit: { id: number; code: string }, publicArea: boolean) => {
      const spec = planCamera({ index, name: `机密${index}`, network: 'skynet', orgUnitCode: unit.code });
      const cam = await startCamera(spec);
      cams.push(cam);
      const id = await fastify.repos.cameras.insert({
        network: 'skynet', externalId: `SECRET${index}`, name: spec.name, orgUnitId: unit.id, sourceKind: 'rtsp', publicArea,
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      return { cam, id };
    };
    const playing = await add(3641, compound, true);
    const refusing = await add(3642, town, false);
    refusing.cam.setFault({ kind: 'wrong-password' });
    const discovered = await add(3643, town, false);

    expect((await call('GET', '/api/cameras?q=机密', as(county))).statusCode).toBe(200);
    expect((await call('GET', `/api/cameras/${playing.id}`, as(county))).statusCode).toBe(200);
    // Live: playlist and a segment; a camera refusing the password answers 502 with a reason, not the password.
    let playlist = await call('GET', `/live/${playing.id}/index.m3u8`, as(county));
    expect(playlist.statusCode).toBe(200);
    const segment = playlist.body.split('\n').find((l) => l && !l.startsWith('#'))!;
    expect((await call('GET', `/live/${playing.id}/${segment}`, as(county))).statusCode).toBe(200);
    const refused = await call('GET', `/live/${refusing.id}/index.m3u8`, as(county));
    expect([refused.statusCode, refused.json().message]).toEqual([502, expect.stringContaining('unauthorized')]);
    await expect.poll(async () => (await fastify.repos.cameras.byId(refusing.id))!.statusReason).toBe('unauthorized');
    expect((await call('GET', `/api/cameras/${refusing.id}`, as(county))).statusCode).toBe(200);
    expect((await call('GET', '/api/live/relays', as(county))).statusCode).toBe(200);
    expect((await call('POST', `/api/health-checks/cameras/${refusing.id}`, as(county))).statusCode).toBe(200);
    await call('GET', `/api/cameras/${playing.id}/snapshot.jpg`, as(county));
    await call('GET', `/api/cameras/${refusing.id}/snapshot.jpg`, as(county));

    // Catalogue import with credentials in columns and in a URL; credential profiles; export.
    const csv = [
      'externalId,network,name,orgUnitCode,rtspUrl,username,password',
      `IMP-1,skynet,导入一,${town.code},rtsp://127.0.15.200:8554/stream1,admin,${TYPED.imported}`,
      `IMP-2,skynet,导入二,${town.code},rtsp://admin:${TYPED.urlEmbedded}@127.0.15.201:8554/stream1,,`,
    ].join('\n');
    const imported = await call('POST', '/api/catalogue/import', { ...as(admin), payload: { format: 'csv', content: csv } });
    expect(imported.json()).toMatchObject({ committed: true, summary: { added: 2 } });
    const badImport = await call('POST', '/api/catalogue/import', { ...as(admin), payload: { format: 'csv', content: `externalId,network,name,orgUnitCode,password\nIMP-3,nowhere,x,${town.code},${TYPED.imported}` } });
    expect(badImport.statusCode).toBeLessThan(500);
    expect((await call('PUT', '/api/catalogue/credentials/site-a', { ...as(admin), payload: { username: 'admin', password: TYPED.profile } })).statusCode).toBe(204);
    expect((await call('GET', '/api/catalogue/credentials', as(admin))).statusCode).toBe(200);
    expect((await call('GET', '/api/catalogue/export?format=csv', as(admin))).statusCode).toBe(200);
    expect((await call('GET', '/api/catalogue/export?format=json', as(admin))).statusCode).toBe(200);

    // Discovery with credentials (the right ones for the simulated camera), then adding what it found.
    const job = await call('POST', '/api/discovery/jobs', { ...as(admin), payload: { targets: [discovered.cam.spec.host], credentials: { username: 'admin', password: discovered.cam.spec.password }, timeoutMs: 2000 } });
    expect(job.statusCode).toBe(202);
    const jobId = job.json<{ id: number }>().id;
    let detail = await call('GET', `/api/discovery/jobs/${jobId}`, as(admin));
    for (let i = 0; i < 80 && detail.json<{ job: { state: string } }>().job.state === 'running'; i++) {
      await new Promise((r) => setTimeout(r, 250));
      detail = await call('GET', `/api/discovery/jobs/${jobId}`, as(admin));
    }
    const results = detail.json<{ results: Array<{ id: number; state: string }> }>().results;
    expect(results.length).toBeGreaterThan(0);
    await call('POST', `/api/discovery/jobs/${jobId}/add`, { ...as(admin), payload: { items: [{ resultId: results[0].id, network: 'skynet', orgUnitId: town.id, externalId: 'DISC-1' }] } });
    const wrongJob = await call('POST', '/api/discovery/jobs', { ...as(admin), payload: { targets: [discovered.cam.spec.host], credentials: { username: 'admin', password: TYPED.discovery }, timeoutMs: 2000 } });
    expect(wrongJob.statusCode).toBe(202);
    await call('GET', '/api/discovery/jobs', as(admin));

    // RTSP probes: right password, wrong password, password typed into the URL; a camera added by such a URL.
    const probeUrl = rtspUrl(discovered.cam.spec);
    expect((await call('POST', '/api/discovery/rtsp/probe', { ...as(admin), payload: { url: probeUrl, credentials: { username: 'admin', password: discovered.cam.spec.password } } })).json()).toMatchObject({ ok: true });
    expect((await call('POST', '/api/discovery/rtsp/probe', { ...as(admin), payload: { url: probeUrl, credentials: { username: 'admin', password: TYPED.wrongProbe } } })).json()).toMatchObject({ ok: false, error: 'unauthorized' });
    const embedded = probeUrl.replace('rtsp://', `rtsp://admin:${encodeURIComponent(discovered.cam.spec.password)}@`);
    expect((await call('POST', '/api/discovery/rtsp/probe', { ...as(admin), payload: { url: embedded } })).json()).toMatchObject({ ok: true });
    const byUrl = await call('POST', '/api/discovery/rtsp/cameras', { ...as(admin), payload: { url: embedded, name: '按地址添加', network: 'skynet', orgUnitId: town.id, externalId: 'BYURL-1' } });
    expect(byUrl.statusCode).toBe(201);
    await call('GET', `/api/cameras/${byUrl.json<{ cameraId: number }>().cameraId}`, as(admin));
    await call('GET', `/api/cameras?limit=500`, as(admin));

    // A resident link: create, open, play with the viewer token.
    const link = await call('POST', '/api/share-links', { ...as(admin), payload: { orgUnitId: compound.id, label: '保密测试', cameraIds: [playing.id], expiresInHours: 1 } });
    expect(link.statusCode).toBe(201);
    const shareToken = link.json<{ url: string }>().url.split('/r/')[1];
    tokens.add(shareToken);
    await call('GET', `/r/${shareToken}`);
    const opened = await call('POST', '/api/share/open', { payload: { token: shareToken, device: 'secrets-test-device' } });
    const viewerToken = opened.json<{ viewerToken: string }>().viewerToken;
    tokens.add(viewerToken);
    playlist = await call('GET', `/live/${playing.id}/index.m3u8?v=${encodeURIComponent(viewerToken)}`);
    expect(playlist.statusCode).toBe(200);
    await call('GET', '/api/share-links', as(admin));

    // Evidence upload and its dispatch.
    const danger = await call('POST', '/api/dangers', { ...as(county), payload: { cameraId: playing.id, capturedAt: new Date().toISOString(), category: 'fire', severity: 'general', evidenceJpeg: FRAME_B64 } });
    expect(danger.statusCode).toBe(201);
    await call('GET', `/api/dangers/${danger.json<{ id: number }>().id}`, as(county));
    // User management: an account created and reset (initial passwords answered once), its first sign-in and the
    // password its user chose, a wrong guess, an import answering more initial passwords, the export.
    const made = await call('POST', '/api/users', { ...as(admin), payload: { username: 'secret.user', displayName: '保密用户', role: 'township_officer', orgUnitId: town.id } });
    expect(made.statusCode).toBe(201);
    const first = made.json<{ initialPassword: string }>().initialPassword;
    initialPasswords.add(first);
    const user = await signIn('secret.user', first);
    expect((await call('POST', '/api/account/password', { ...as(user), payload: { currentPassword: first, newPassword: TYPED.userChosen } })).statusCode).toBe(204);
    expect((await call('POST', '/api/auth/login', { payload: { username: 'secret.user', password: TYPED.userWrong } })).statusCode).toBe(401);
    await call('GET', '/api/account/sessions', as(user));
    const reset = await call('POST', `/api/users/${made.json<{ user: { id: number } }>().user.id}/reset-password`, as(admin));
    initialPasswords.add(reset.json<{ initialPassword: string }>().initialPassword);
    const staff = await call('POST', '/api/users/import', { ...as(admin), payload: { content: `用户名,姓名,角色,所属单位\nsecret.imp,导入,乡镇值班员,安澜县/${town.name}` } });
    for (const u of staff.json<{ users: Array<{ initialPassword: string }> }>().users) initialPasswords.add(u.initialPassword);
    expect(initialPasswords.size).toBe(3);
    await call('GET', '/api/users?limit=500', as(admin));
    await call('GET', '/api/users/export.csv', as(admin));

    await call('GET', '/api/auth/me', as(county));
    await call('GET', '/api/audit', as(admin));
    expect((await call('POST', '/api/auth/logout', as(county))).statusCode).toBe(204);
    // Let the relays' and discovery's background work finish printing before the search.
    await new Promise((r) => setTimeout(r, 1000));
  }, 180_000);

  it('finds no camera password, session cookie, CSRF token, resident token, session secret or key in any log line', () => {
    const logs = [...logLines, ...printed.join('').split('\n')];
    expect(logLines.length).toBeGreaterThan(50); // request logging was on: the capture worked
    // The resident's requests were logged, with their tokens masked (server/logger.ts).
    expect(logLines.some((l) => l.includes('?v=[redacted]'))).toBe(true);
    expect(logLines.some((l) => l.includes('/r/[redacted]'))).toBe(true);
    const secrets = secretValues();
    const leaks = logs.filter((line) => SIM_PASSWORD.test(line) || [...secrets, ...cookies, ...csrfTokens, ...tokens, ...initialPasswords].some((s) => line.includes(s)));
    expect(leaks.map((l) => l.slice(0, 300))).toEqual([]);
  });

  it('finds no password or key in any response; session cookies only in their Set-Cookie; CSRF tokens only where handed out', () => {
    const secrets = secretValues();
    const leaks: string[] = [];
    for (const { where, text } of responses) {
      if (SIM_PASSWORD.test(text) || secrets.some((s) => text.includes(s))) leaks.push(`${where}: password or key`);
      if (!where.endsWith('set-cookie') && [...cookies].some((c) => text.includes(c))) leaks.push(`${where}: session cookie`);
      const handsOutCsrf = /^(POST \/api\/auth\/login|GET \/api\/auth\/me) .* body$/.test(where);
      if (!handsOutCsrf && [...csrfTokens].some((c) => text.includes(c))) leaks.push(`${where}: CSRF token`);
      if (/scrypt|\$2[aby]\$|password_hash|passwordHash/i.test(text)) leaks.push(`${where}: a password hash`);
      const handsOutPassword = /^(POST \/api\/users|POST \/api\/users\/\d+\/reset-password|POST \/api\/users\/import) .* body$/.test(where);
      if (!handsOutPassword && [...initialPasswords].some((p) => text.includes(p))) leaks.push(`${where}: an initial password`);
    }
    expect(responses.length).toBeGreaterThan(100);
    expect(leaks).toEqual([]);
  });

  it('static check: no URL with user:password@ in any log line or response, whatever the password', () => {
    const logs = [...logLines, ...printed.join('').split('\n')].filter((l) => URL_WITH_CREDENTIALS.test(l));
    expect(logs.map((l) => l.slice(0, 300))).toEqual([]);
    // The request that sent such a URL is the only place it may be; no answer echoes it.
    expect(responses.filter((r) => URL_WITH_CREDENTIALS.test(r.text)).map((r) => r.where)).toEqual([]);
    // And no server code hands a credential to a logger: a log call's arguments never name a password.
    const offenders = sourceFiles(join(import.meta.dirname, '../../server'))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').map((line, i) => ({ file, line, i })))
      .filter(({ line }) => /\b(log|logger|console)\.(trace|debug|info|warn|error|fatal|log)\(/.test(line) && /password|credential|authorization/i.test(line))
      // The one exception by design: a demo console prints the demo logins (README lists them too), never a camera's.
      .filter(({ file, line }) => !(file.endsWith('server.ts') && line.includes('DEMO_USERS')))
      .map(({ file, i, line }) => `${file}:${i + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  /** Passwords typed here and the camera passwords, the configured session secret, and the keys in dataDir. */
  function secretValues(): string[] {
    const keys = readdirSync(dataDir).filter((f) => f.endsWith('.key')).map((f) => readFileSync(join(dataDir, f), 'utf8').trim());
    expect(keys.length).toBeGreaterThan(0); // vault.key at least
    return [...Object.values(TYPED), SESSION_SECRET, ...keys, ...cams.map((c) => c.spec.password)];
  }
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(e.name) ? [path] : [];
  });
}
