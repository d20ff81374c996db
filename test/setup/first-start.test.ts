// `npm start` with demo off on a new data directory, as the real gateway process: it says how to create the first
// administrator (the setup URL with its token, and the CLI), creates its data directory owner-only, and behind a
// trusted proxy records the browser's address (X-Forwarded-For), not the proxy's.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCK_FILE } from '../../server/backup/run-lock';
import { SETUP_TOKEN_FILE } from '../../server/setup/setup-token';
import { TEST_SIMULATOR_NET } from '../helpers/app';
import { loginHttp, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { ADMIN_PASSWORD, COUNTY } from './helpers';

const BROWSER_IP = '203.0.113.9';

describe('first start of a production gateway', { timeout: 180_000 }, () => {
  let base: string;
  let dataDir: string;
  let gw: GatewayProcess;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'cvc-first-'));
    // A data directory that does not exist yet: the gateway creates it.
    dataDir = join(base, 'var', 'data');
    gw = await spawnGateway({
      dataDir: base,
      config: { dataDir, demo: { enabled: false, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET }, trustProxy: '127.0.0.1' },
    });
  });
  afterAll(async () => {
    await gw?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('prints how to create the first administrator: the setup URL with the token, and the CLI', async () => {
    // The last of the start-up lines.
    await expect.poll(() => gw.output(), { timeout: 30_000 }).toContain('stops working once the first administrator exists');
    expect(gw.output()).toContain('npm run admin -- create-admin');
    const out = gw.output();
    const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
    expect(out).toContain(`${gw.baseURL}/setup#token=${token}`);
    expect(out).toContain('--county-code');
    expect(out).toContain(join(dataDir, SETUP_TOKEN_FILE));
    expect(out).not.toContain('Demo logins');
  });

  it('creates its data directory 0700 and its files 0600, and holds the run lock', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const name of ['console.sqlite', 'vault.key', 'session.key', SETUP_TOKEN_FILE, LOCK_FILE]) {
      expect(statSync(join(dataDir, name)).mode & 0o777, name).toBe(0o600);
    }
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: gw.pid, port: gw.port, kind: 'gateway' });
  });

  it('takes the setup behind a trusted proxy, recording the browser address', async () => {
    const token = readFileSync(join(dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
    const res = await fetch(`${gw.baseURL}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': BROWSER_IP },
      body: JSON.stringify({ token, county: COUNTY, admin: { username: 'chen.jing', displayName: '陈静', password: ADMIN_PASSWORD } }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(existsSync(join(dataDir, SETUP_TOKEN_FILE))).toBe(false);
    const session = await loginHttp(gw.baseURL, 'chen.jing', ADMIN_PASSWORD);
    const audit = await fetch(`${gw.baseURL}/api/audit?action=setup.first-admin`, { headers: { cookie: session.cookie } });
    const [row] = (await audit.json()).items;
    expect(row).toMatchObject({ actorName: 'chen.jing', ip: BROWSER_IP });
  });

  it('says nothing about setup on the next start, and removes its lock when stopped', async () => {
    const port = gw.port;
    await gw.stop();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    gw = await spawnGateway({ dataDir: base, port, config: { dataDir, demo: { enabled: false, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET } } });
    await expect.poll(() => gw.output(), { timeout: 30_000 }).toContain('API docs');
    expect(gw.output()).not.toContain('setup#token');
    expect(existsSync(join(dataDir, SETUP_TOKEN_FILE))).toBe(false);
  });
});
