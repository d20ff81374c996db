// Backup and restore. In process: a backup taken while the gateway keeps writing (a write between every step of the
// copy), restored by the CLI into a fresh data directory, started, signed in to — the camera passwords decrypt and
// old sessions still open (the keys came along), the writes made during the copy are not in it (one snapshot). With a
// gateway process: the CLI backs it up while it runs, and restore refuses its data directory until it has stopped.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackup } from '../../server/backup/backup';
import { LOCK_FILE } from '../../server/backup/run-lock';
import { buildTestApp, DEMO, login, sqliteFileOnly, type Login, type TestApp } from '../helpers/app';
import { loginHttp, spawnGateway, type GatewayProcess } from '../helpers/gateway-process';
import { appOn, loginStatus, runAdmin } from './helpers';

// The in-process half copies the app's SQLite file; a PostgreSQL database is backed up by pg_dump (server/db/README.md).
// The gateway-process half below runs its own child on SQLite in either run.
describe.skipIf(sqliteFileOnly('backup of the app database in process'))('a backup taken while the console writes, restored into a fresh data directory', { timeout: 180_000 }, () => {
  let t: TestApp;
  let admin: Login;
  let work: string;
  let file: string;
  const cameraPassword = { before: '' };
  let writesDuringCopy = 0;

  beforeAll(async () => {
    t = await buildTestApp();
    admin = await login(t.app, ...DEMO.admin);
    work = mkdtempSync(join(tmpdir(), 'cvc-backup-'));
    file = join(work, 'anlan.tar.gz');
    cameraPassword.before = (await t.app.repos.cameras.source(1))!.password!;
  });
  afterAll(async () => {
    await t?.close();
    rmSync(work, { recursive: true, force: true });
  });

  const saveLayout = (name: string) => t.app.inject({ method: 'POST', url: '/api/layouts', headers: admin.headers, payload: { name, layout: '4', cameraIds: [1, null, 2, null] } });

  it('copies online: every write between the copy steps succeeds', async () => {
    expect((await saveLayout('before-backup')).statusCode).toBe(201);
    let steps = 0;
    const result = await createBackup(t.dataDir, file, {
      pagesPerStep: 8,
      onStep: async ({ remaining }) => {
        steps++;
        if (remaining === 0) return;
        const res = await saveLayout(`during-backup-${steps}`);
        expect(res.statusCode, res.body).toBe(201);
        writesDuringCopy++;
      },
    });
    expect(writesDuringCopy).toBeGreaterThanOrEqual(3);
    expect(steps).toBe(writesDuringCopy + 1);
    expect(Object.keys(result.manifest.files).sort()).toEqual(['console.sqlite', 'session.key', 'vault.key']);
    expect(result.manifest.schema).toMatch(/^\d{3}_/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // One file, nothing left beside it.
    expect(readdirSync(work)).toEqual(['anlan.tar.gz']);
  });

  it('restores into a fresh data directory with the CLI; the console starts on it with its keys', async () => {
    const fresh = join(work, 'fresh-data');
    const run = await runAdmin(fresh, ['restore', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
    for (const name of ['console.sqlite', 'vault.key', 'session.key']) expect(statSync(join(fresh, name)).mode & 0o777, name).toBe(0o600);
    expect(existsSync(join(fresh, LOCK_FILE))).toBe(false);

    const restored = await appOn(fresh);
    try {
      expect(await loginStatus(restored, ...DEMO.admin)).toBe(200);
      // vault.key came along: the camera's stored password decrypts to what it was.
      expect((await restored.repos.cameras.source(1))!.password).toBe(cameraPassword.before);
      // session.key came along: a session opened before the backup is still good on the restored console.
      const me = await restored.inject({ url: '/api/auth/me', headers: { cookie: admin.cookie } });
      expect(me.statusCode).toBe(200);
      const names = (await restored.inject({ url: '/api/layouts', headers: { cookie: admin.cookie } })).json<Array<{ name: string }>>().map((l) => l.name);
      expect(names).toContain('before-backup');
      expect(names.filter((n) => n.startsWith('during-backup'))).toEqual([]);
      const [row] = await restored.repos.audit.recent(5, 'backup.restore');
      expect(row).toMatchObject({ actorType: 'system', actorName: 'cli', targetType: 'backup' });
    } finally {
      await restored.close();
    }
    // The live console kept every write made during the copy.
    const live = (await t.app.inject({ url: '/api/layouts', headers: { cookie: admin.cookie } })).json<Array<{ name: string }>>();
    expect(live.filter((l) => l.name.startsWith('during-backup'))).toHaveLength(writesDuringCopy);
  });

  it('refuses to overwrite a database unless forced, and then moves the old files aside', async () => {
    const fresh = join(work, 'fresh-data');
    const again = await runAdmin(fresh, ['restore', file]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds a database');
    const forced = await runAdmin(fresh, ['restore', '--force', file]);
    expect(forced.code, forced.stderr).toBe(0);
    const replaced = readdirSync(fresh).filter((n) => n.startsWith('replaced-'));
    expect(replaced).toHaveLength(1);
    expect(readdirSync(join(fresh, replaced[0]!))).toEqual(expect.arrayContaining(['console.sqlite', 'vault.key', 'session.key']));
  });

  it('refuses a damaged or foreign file, leaving the target untouched', async () => {
    const damaged = join(work, 'damaged.tar.gz');
    const bytes = readFileSync(file);
    bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
    writeFileSync(damaged, bytes);
    const target = join(work, 'untouched');
    const run = await runAdmin(target, ['restore', damaged]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a readable backup|checksum|damaged/);
    expect(existsSync(join(target, 'console.sqlite'))).toBe(false);
    const foreign = join(work, 'foreign.tar.gz');
    writeFileSync(foreign, 'not a backup at all');
    expect((await runAdmin(target, ['restore', foreign])).code).toBe(1);
    expect(readdirSync(target)).toEqual([]);
  });
});

describe('with a gateway process running on the data directory', { timeout: 240_000 }, () => {
  let gw: GatewayProcess | undefined;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'cvc-backup-gw-'));
    gw = await spawnGateway();
  });
  afterAll(async () => {
    await gw?.stop();
    if (gw) rmSync(gw.dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('backs it up while it runs, and refuses to restore over it until it has stopped', async () => {
    const file = join(work, 'running.tar.gz');
    const backup = await runAdmin(gw!.dataDir, ['backup', file]);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('Backup written');
    const session = await loginHttp(gw!.baseURL, ...DEMO.admin);
    const audit = await fetch(`${gw!.baseURL}/api/audit?action=backup.create`, { headers: { cookie: session.cookie } });
    const [row] = (await audit.json()).items;
    expect(row).toMatchObject({ actorType: 'system', actorName: 'cli', targetType: 'backup', targetId: file, detail: { file } });

    const lock = JSON.parse(readFileSync(join(gw!.dataDir, LOCK_FILE), 'utf8'));
    expect(lock).toMatchObject({ pid: gw!.pid, kind: 'gateway', port: gw!.port });
    const refused = await runAdmin(gw!.dataDir, ['restore', '--force', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`running gateway (PID ${gw!.pid}, port ${gw!.port})`);
    expect((await fetch(`${gw!.baseURL}/api/health`)).status).toBe(200);
    expect(readdirSync(gw!.dataDir).filter((n) => n.startsWith('replaced-'))).toEqual([]);

    const { dataDir, port } = gw!;
    await gw!.stop();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const restored = await runAdmin(dataDir, ['restore', '--force', file]);
    expect(restored.code, restored.stderr).toBe(0);
    gw = await spawnGateway({ dataDir, port });
    expect((await loginHttp(gw.baseURL, ...DEMO.admin)).cookie).toMatch(/^cvc_session=/);
  });

  it('takes over a lock left by a gateway killed with -9', async () => {
    const { dataDir, port, pid } = gw!;
    await gw!.kill9();
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(pid);
    gw = await spawnGateway({ dataDir, port });
    expect(JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).pid).toBe(gw.pid);
    // And a second gateway on the same directory is refused while this one lives.
    const second = await spawnGateway({ dataDir, startTimeoutMs: 60_000 }).catch((err: Error) => err);
    expect(second).toBeInstanceOf(Error);
    expect(String(second)).toContain(`in use by a running gateway (PID ${gw.pid}`);
  });
});
