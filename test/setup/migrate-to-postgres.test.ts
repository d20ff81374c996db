// `npm run admin -- migrate-to-postgres <url>` as an operator runs it (a child process): the demo county on SQLite,
// with dangers and saved layouts added through the API, is copied into a fresh PostgreSQL database; an app started
// on PostgreSQL with the same data directory (the keys) then gives the same answers — org tree, cameras, search,
// dangers, layouts — its users sign in with their passwords, and new rows get ids past the copied ones. A target
// that holds data, or somebody else's tables, is refused. Skips where PostgreSQL (initdb) is not installed.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copySqliteToPostgres, dependencyOrder } from '../../scripts/admin/copy-to-postgres';
import { Database } from '../../server/db/database';
import type { CameraPage, OrgUnit } from '../../server/contracts/api';
import { DEMO, login, TEST_SIMULATOR_NET, type Login } from '../helpers/app';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres';
import { dangerBody } from '../dispatch/helpers';
import { appOn, runAdmin } from './helpers';

const pgSkip = postgresUnavailable();
const DEMO_ON = { demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET } };
const QUERIES = ['南门', '东城', '小区', 'a', 'CAM', '%', '不存在的名字'];

/** What the console answers, read through the API: compared before (SQLite) and after (PostgreSQL). */
async function snapshot(app: FastifyInstance) {
  const county = await login(app, ...DEMO.county);
  const dongcheng = await login(app, ...DEMO.dongcheng);
  const get = async (who: Login, url: string) => {
    const res = await app.inject({ url, headers: who.headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const root = (await get(county, '/api/org/units') as OrgUnit[])[0]!;
  const townships = await get(county, `/api/org/units?parentId=${root.id}`) as OrgUnit[];
  const cameras: CameraPage['items'] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await get(county, `/api/cameras?limit=500&offset=${offset}`) as CameraPage;
    cameras.push(...page.items);
    if (cameras.length >= page.total || !page.items.length) break;
  }
  const search: Record<string, unknown> = {};
  for (const q of QUERIES) {
    search[`county:${q}`] = (await get(county, `/api/cameras?q=${encodeURIComponent(q)}&limit=500`) as CameraPage).items.map((c) => c.id);
    search[`dongcheng:${q}`] = (await get(dongcheng, `/api/cameras?q=${encodeURIComponent(q)}&limit=500`) as CameraPage).items.map((c) => c.id);
  }
  return {
    root, townships, cameras, search,
    dangers: await get(county, '/api/dangers'),
    dongchengDangers: await get(dongcheng, '/api/dangers'),
    layouts: await get(dongcheng, '/api/layouts'),
  };
}

describe('dependencyOrder', () => {
  it('puts parents before children, ignores self references, and appends a cycle', () => {
    const order = dependencyOrder(['tasks', 'dangers', 'org_units', 'cameras', 'a', 'b'], [
      { child: 'cameras', parent: 'org_units' }, { child: 'dangers', parent: 'cameras' }, { child: 'tasks', parent: 'dangers' },
      { child: 'tasks', parent: 'tasks' }, { child: 'org_units', parent: 'org_units' }, { child: 'a', parent: 'b' }, { child: 'b', parent: 'a' },
    ]);
    expect(order).toEqual(['org_units', 'cameras', 'dangers', 'tasks', 'a', 'b']);
  });
});

describe.skipIf(!!pgSkip)('npm run admin -- migrate-to-postgres', { timeout: 180_000 }, () => {
  let dataDir: string;
  let url: string;
  let before: Awaited<ReturnType<typeof snapshot>>;
  let maxDangerId = 0;
  let cameraPassword: string | undefined;

  beforeAll(async () => {
    dataDir = join(mkdtempSync(join(tmpdir(), 'cvc-topg-')), 'data');
    const app = await appOn(dataDir, DEMO_ON);
    try {
      const county = await login(app, ...DEMO.county);
      const dongcheng = await login(app, ...DEMO.dongcheng);
      const mine = (await app.inject({ url: '/api/cameras?limit=5', headers: dongcheng.headers })).json<CameraPage>().items.map((c) => c.id);
      const root = (await app.inject({ url: '/api/org/units', headers: county.headers })).json<OrgUnit[]>()[0]!;
      const dc = (await app.inject({ url: `/api/org/units?parentId=${root.id}`, headers: county.headers })).json<OrgUnit[]>().find((u) => u.name === '东城街道')!;
      for (const [i, cameraId] of mine.slice(0, 3).entries()) {
        const made = await app.inject({ method: 'POST', url: '/api/dangers', headers: county.headers, payload: dangerBody(cameraId!, { note: `迁移测试 ${i}` }) });
        expect(made.statusCode, made.body).toBe(201);
        maxDangerId = Math.max(maxDangerId, made.json<{ id: number }>().id);
        if (i === 0) {
          const sent = await app.inject({ method: 'POST', url: `/api/dangers/${made.json<{ id: number }>().id}/dispatch`, headers: county.headers, payload: { toUnitId: dc.id, note: '请处置' } });
          expect(sent.statusCode, sent.body).toBe(201);
        }
      }
      for (const [name, cameraIds] of [['早班', [mine[0], null, mine[1], mine[2]]], ['夜班', [mine[3]]]] as const) {
        const res = await app.inject({ method: 'POST', url: '/api/layouts', headers: dongcheng.headers, payload: { name, layout: cameraIds.length === 1 ? '1' : '4', cameraIds } });
        expect(res.statusCode, res.body).toBe(201);
      }
      before = await snapshot(app);
      cameraPassword = (await app.repos.cameras.source(before.cameras[0]!.id))?.password;
      expect(cameraPassword).toBeTruthy();
    } finally {
      await app.close();
    }
    url = await createTestDatabase('migrate_to_pg');
  });
  afterAll(() => rmSync(join(dataDir, '..'), { recursive: true, force: true }));

  it('copies every table, verifies the counts, and says the keys stay in dataDir', async () => {
    const run = await runAdmin(dataDir, ['migrate-to-postgres', url]);
    expect(run.code, run.stderr).toBe(0);
    const line = (table: string) => run.stdout.split('\n').find((l) => l.startsWith(`${table} `))?.trim().split(/\s+/);
    expect(line('cameras')).toEqual(['cameras', String(before.cameras.length), String(before.cameras.length)]);
    expect(line('dangers')).toEqual(['dangers', '3', '3']);
    expect(line('users')).toEqual(['users', '5', '5']);
    expect(line('saved_layouts')).toEqual(['saved_layouts', '2', '2']);
    // SQLite's search structures are not tables to copy.
    expect(run.stdout).not.toMatch(/camera_fts|camera_rtree|sqlite_/);
    expect(run.stdout).not.toContain('MISMATCH');
    expect(run.stdout).toContain('vault.key');
    expect(run.stdout).toContain(dataDir);
  });

  it('serves the same county from PostgreSQL: tree, cameras, search, dangers, layouts, passwords', async () => {
    const app = await appOn(dataDir, { database: url });
    try {
      expect(app.db.dialect).toBe('postgres');
      const after = await snapshot(app);
      expect(after.root).toEqual(before.root);
      expect(after.townships).toEqual(before.townships);
      expect(after.cameras.length).toBe(before.cameras.length);
      expect(after.cameras).toEqual(before.cameras);
      expect(after.search).toEqual(before.search);
      expect((after.search['dongcheng:南门'] as number[]).length).toBeGreaterThan(0);
      expect(after.dangers).toEqual(before.dangers);
      expect(after.dongchengDangers).toEqual(before.dongchengDangers);
      expect(after.layouts).toEqual(before.layouts);
      for (const [username, password] of Object.values(DEMO)) await login(app, username, password);
      expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong-password' } })).statusCode).toBe(401);

      // The identity sequences were moved past the copied ids: new rows do not collide with copied ones.
      const county = await login(app, ...DEMO.county);
      const made = await app.inject({ method: 'POST', url: '/api/dangers', headers: county.headers, payload: dangerBody(before.cameras[0]!.id, { note: '迁移后' }) });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json<{ id: number }>().id).toBeGreaterThan(maxDangerId);
      // The camera count kept by triggers was copied once, not counted again by them.
      const root = (await app.inject({ url: '/api/org/units', headers: county.headers })).json<OrgUnit[]>()[0]!;
      expect(root.cameraCount).toBe(before.root.cameraCount);
      // A camera's password, encrypted with dataDir's vault.key, still decrypts.
      expect((await app.repos.cameras.source(before.cameras[0]!.id))?.password).toBe(cameraPassword);
    } finally {
      await app.close();
    }
  });

  it('copies the same rows across batch edges (7 rows a batch)', async () => {
    const small = await createTestDatabase('migrate_batches');
    const result = await copySqliteToPostgres(join(dataDir, 'console.sqlite'), small, { batchRows: 7 });
    expect(result.mismatched).toEqual([]);
    expect(result.tables.find((t) => t.table === 'cameras')).toEqual({ table: 'cameras', sqlite: before.cameras.length, postgres: before.cameras.length });
    const sqlite = await Database.open(join(dataDir, 'console.sqlite'));
    const client = new pg.Client({ connectionString: small });
    await client.connect();
    try {
      const sql = 'SELECT id, name, org_unit_id, org_path, lat, lng FROM cameras ORDER BY id';
      const [a, b] = [await sqlite.all(sql), (await client.query(sql)).rows];
      expect(b.map((r) => ({ ...r, id: Number(r.id), org_unit_id: Number(r.org_unit_id) }))).toEqual(a);
    } finally {
      await client.end();
      await sqlite.close();
    }
  });

  it('refuses a target that holds data, and a database that is not the console\'s', async () => {
    const again = await runAdmin(dataDir, ['migrate-to-postgres', url]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already holds console data');
    expect(again.stderr).toMatch(/cameras \(\d+\)/);

    const other = await createTestDatabase('migrate_foreign');
    const client = new pg.Client({ connectionString: other });
    await client.connect();
    try {
      await client.query('CREATE TABLE invoices (id int)');
    } finally {
      await client.end();
    }
    const foreign = await runAdmin(dataDir, ['migrate-to-postgres', other]);
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain('not a console database');
    expect(foreign.stderr).toContain('invoices');

    const notUrl = await runAdmin(dataDir, ['migrate-to-postgres', '/tmp/x.sqlite']);
    expect(notUrl.code).toBe(1);
    expect(notUrl.stderr).toContain('not a PostgreSQL URL');
  });
});
