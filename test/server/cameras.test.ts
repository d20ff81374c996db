// The camera catalogue's use cases through the real API on the demo county (server/cameras/service.ts): edits and
// moves with their audit row in one transaction, deletes, and what a busy database answers.
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../server/contracts/api';
import { api, buildWorld, dangerBody, type World } from '../dispatch/helpers';
import { DEMO, login, type Login } from '../helpers/app';

let w: World;
let admin: Login;

beforeAll(async () => {
  w = await buildWorld();
  admin = await login(w.t.app, ...DEMO.admin);
});
afterAll(() => w.t.close());

const inject = (who: Login, method: 'GET' | 'PATCH' | 'DELETE' | 'POST', url: string, payload?: object) =>
  w.t.app.inject({ method, url, headers: who.headers, ...(payload ? { payload } : {}) });

async function auditRows(action: string, targetId: number) {
  return w.t.app.db.all<{ detail: string; org_unit_id: number }>(
    'SELECT detail, org_unit_id FROM audit_log WHERE action = ? AND target_id = ? ORDER BY id', [action, String(targetId)],
  );
}

describe('editing and moving a camera', () => {
  it('moves a camera inside the area, with one audit row at the unit it left', async () => {
    const res = await inject(w.chengguan, 'PATCH', `/api/cameras/${w.cameras.chengguan}`, { orgUnitId: w.units.chengguanVillage, address: '城关镇村口' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Camera>()).toMatchObject({ orgUnitId: w.units.chengguanVillage, address: '城关镇村口' });
    const rows = await auditRows('camera.update', w.cameras.chengguan);
    expect(rows).toHaveLength(1);
    expect(rows[0].org_unit_id).toBe(w.units.chengguan);
    expect(JSON.parse(rows[0].detail)).toEqual({ fields: ['orgUnitId', 'address'], movedTo: w.units.chengguanVillage });
  });

  it('refuses a move out of the area (403) and to a unit that does not exist (404 naming orgUnitId)', async () => {
    const out = await inject(w.chengguan, 'PATCH', `/api/cameras/${w.cameras.chengguan}`, { orgUnitId: w.units.dongcheng });
    expect(out.statusCode).toBe(403);
    const absent = await inject(w.chengguan, 'PATCH', `/api/cameras/${w.cameras.chengguan}`, { orgUnitId: 987654 });
    expect(absent.statusCode).toBe(404);
    expect(absent.json()).toMatchObject({ field: 'orgUnitId' });
    // Another township's camera is absent to this officer.
    expect((await inject(w.chengguan, 'PATCH', `/api/cameras/${w.cameras.dongfeng}`, { name: 'x' })).statusCode).toBe(404);
  });

  it('writes the edit and its audit row together: an audit row that cannot be written leaves the camera as it was', async () => {
    const before = (await w.t.app.repos.cameras.byId(w.cameras.dongfeng))!;
    const pg = w.t.app.db.dialect === 'postgres';
    await w.t.app.db.exec(pg
      ? `CREATE FUNCTION refuse_camera_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit log refused the row'; END $$;
         CREATE TRIGGER refuse_camera_audit BEFORE INSERT ON audit_log FOR EACH ROW WHEN (NEW.action = 'camera.update') EXECUTE FUNCTION refuse_camera_audit()`
      : `CREATE TRIGGER refuse_camera_audit BEFORE INSERT ON audit_log WHEN NEW.action = 'camera.update'
         BEGIN SELECT RAISE(ABORT, 'audit log refused the row'); END`);
    try {
      const res = await inject(w.county, 'PATCH', `/api/cameras/${w.cameras.dongfeng}`, { name: '不应保存的名称' });
      expect(res.statusCode).toBe(500);
    } finally {
      await w.t.app.db.exec(pg ? 'DROP TRIGGER refuse_camera_audit ON audit_log; DROP FUNCTION refuse_camera_audit()' : 'DROP TRIGGER refuse_camera_audit');
    }
    expect((await w.t.app.repos.cameras.byId(w.cameras.dongfeng))!.name).toBe(before.name);
  });
});

describe('deleting a camera', () => {
  async function addCamera(name: string, unitId: number) {
    const added = await api(w.t).post<{ cameraId: number }>(admin, '/api/discovery/rtsp/cameras', {
      url: `rtsp://127.0.0.1:9/${encodeURIComponent(name)}`, credentials: { username: 'u', password: 'p-secret' }, name, network: 'skynet',
      orgUnitId: unitId, skipProbe: true,
    });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    return added.body.cameraId;
  }

  it('removes the camera and its credentials, and audits it with its name', async () => {
    const id = await addCamera('待拆除摄像机', w.units.chengguanVillage);
    expect((await inject(w.village, 'DELETE', `/api/cameras/${id}`)).statusCode).toBe(403); // village officers edit, not remove
    expect((await inject(w.dongcheng, 'DELETE', `/api/cameras/${id}`)).statusCode).toBe(404); // not in 东城街道's area
    const res = await inject(w.chengguan, 'DELETE', `/api/cameras/${id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await inject(w.chengguan, 'GET', `/api/cameras/${id}`)).statusCode).toBe(404);
    expect(await w.t.app.db.get('SELECT 1 FROM camera_credentials WHERE camera_id = ?', [id])).toBeUndefined();
    const rows = await auditRows('camera.delete', id);
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].detail)).toMatchObject({ name: '待拆除摄像机', network: 'skynet' });
    expect((await inject(w.chengguan, 'DELETE', `/api/cameras/${id}`)).statusCode).toBe(404);
    // Layouts, resident links and the logs name cameras by id: the next camera, added one by one or imported, takes
    // a new id, never the deleted one (which was the highest).
    expect(await addCamera('新摄像机', w.units.chengguan)).toBe(id + 1);
    const imported = await inject(admin, 'POST', '/api/catalogue/import', {
      format: 'csv', content: '设备编码,设备名称,所属网络,组织路径,取流地址\r\nIMP-ID-1,导入摄像机,天网,安澜县/城关镇,rtsp://10.9.9.9/live',
    });
    expect(imported.statusCode, imported.body).toBe(200);
    expect((await w.t.app.repos.cameras.list('/', { q: 'IMP-ID-1' })).items[0].id).toBe(id + 2);
  });

  it('keeps a camera that hidden-danger evidence names (409), and writes nothing', async () => {
    const id = await addCamera('有隐患的摄像机', w.units.chengguan);
    const tagged = await api(w.t).post(w.chengguan, '/api/dangers', dangerBody(id));
    expect(tagged.status, tagged.raw.body).toBe(201);
    const res = await inject(w.chengguan, 'DELETE', `/api/cameras/${id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/1 hidden-danger record/);
    expect(await w.t.app.repos.cameras.byId(id)).toBeDefined();
    expect(await auditRows('camera.delete', id)).toEqual([]);
  });
});

// SQLite's lock and busy timeout; on PostgreSQL (CVC_TEST_DB=postgres) a lock_timeout maps to the same 503, which
// a test of its own is still to show (server/db/README.md).
describe.skipIf(process.env.CVC_TEST_DB === 'postgres')('a busy database', () => {
  // Another process holds the database's lock longer than the busy timeout. WAL readers never wait for a writer,
  // so the file is put in rollback-journal mode for this test, where an exclusive lock keeps readers out too, and
  // the lock is taken right after the request's session was read: the route's own reads then meet it, as they
  // would whenever the lock arrives mid-request. Before repositories stopped throwing for absent rows, routes
  // caught those throws, and with them the busy error, and answered 404 as if the camera or unit did not exist.
  let locker: sqlite3.Database;
  const exec = (sql: string) => new Promise<void>((resolve, reject) => locker.exec(sql, (err) => (err ? reject(err) : resolve())));
  let find: typeof w.t.app.repos.sessions.find;

  beforeAll(async () => {
    await w.t.app.db.exec('PRAGMA journal_mode = DELETE; PRAGMA busy_timeout = 50;');
    locker = await new Promise((resolve, reject) => {
      const db = new sqlite3.Database(join(w.t.dataDir, 'console.sqlite'), (err) => (err ? reject(err) : resolve(db)));
    });
    find = w.t.app.repos.sessions.find;
    w.t.app.repos.sessions.find = async (hash) => {
      const session = await find.call(w.t.app.repos.sessions, hash);
      await exec('BEGIN EXCLUSIVE');
      return session;
    };
  });
  afterAll(async () => {
    w.t.app.repos.sessions.find = find;
    await new Promise<void>((resolve) => locker.close(() => resolve()));
    await w.t.app.db.exec('PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;');
  });

  it('answers 503 with retry-after on routes that look up a camera or an org unit, never 404', async () => {
    const { cameras, units } = w;
    const calls: Array<[Login, 'GET' | 'PATCH', string, object?]> = [
      [w.county, 'GET', `/api/cameras/${cameras.dongfeng}`],
      [w.county, 'PATCH', `/api/cameras/${cameras.dongfeng}`, { address: '忙' }],
      [w.county, 'GET', `/api/cameras/${cameras.dongfeng}/snapshot.jpg`],
      [w.county, 'GET', `/api/cameras?orgUnitId=${units.dongfeng}`],
      [w.county, 'GET', `/api/org/units?parentId=${units.dongcheng}`],
      [w.county, 'GET', `/api/dangers?orgUnitId=${units.dongcheng}`],
      [w.county, 'GET', `/api/stats?orgUnitId=${units.dongcheng}`],
      [w.county, 'GET', `/api/health-checks/rates?orgUnitId=${units.dongcheng}`],
      [w.county, 'GET', `/api/catalogue/export?orgUnitId=${units.dongcheng}`],
      [w.county, 'GET', `/api/share-links?orgUnitId=${units.dongfeng}`],
      [admin, 'GET', `/api/audit?orgUnitId=${units.dongcheng}`],
    ];
    const answers: string[] = [];
    for (const [who, method, url, payload] of calls) {
      try {
        const res = await inject(who, method, url, payload);
        answers.push(`${method} ${url}: ${res.statusCode} ${res.headers['retry-after'] ?? '-'} ${res.statusCode === 503 ? /busy/.test(res.json().message) : ''}`);
      } finally {
        await exec('ROLLBACK');
      }
    }
    expect(answers).toEqual(calls.map(([, method, url]) => `${method} ${url}: 503 1 true`));
  });

  it('serves the same routes again once the lock is gone', async () => {
    w.t.app.repos.sessions.find = find;
    const res = await inject(w.county, 'GET', `/api/cameras/${w.cameras.dongfeng}`);
    expect(res.statusCode).toBe(200);
    expect((await inject(w.county, 'GET', `/api/org/units?parentId=${w.units.dongcheng}`)).statusCode).toBe(200);
  });
});
