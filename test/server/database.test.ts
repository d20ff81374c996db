import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { backends } from '../helpers/backends';

describe.each(backends)('database on $name', (backend) => {
  let db: Database;
  let dispose: () => Promise<void>;
  beforeEach(async (ctx) => {
    if (backend.skip) return ctx.skip();
    ({ db, dispose } = await backend.open('database'));
  });
  afterEach(async () => {
    await dispose?.();
  });

  it('applies each migration once, with foreign keys enforced', async () => {
    expect(await migrate(db)).toContain('001_init.sql');
    expect(await migrate(db)).toEqual([]);
    if (backend.name === 'sqlite') {
      expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
      expect((await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
    }
    await expect(db.run("INSERT INTO users (username, display_name, role, org_unit_id, password_hash, created_at) VALUES ('x','x','admin',999,'h','t')"))
      .rejects.toThrow(/FOREIGN KEY/);
  });

  it('rolls a failed transaction back and keeps unrelated statements out of it', async () => {
    await db.exec('CREATE TABLE t (v INTEGER UNIQUE)');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const failing = db.transaction(async (tx) => {
      await tx.run('INSERT INTO t (v) VALUES (1)');
      await gate;
      throw new Error('boom');
    });
    // Issued while the transaction is open: must not become part of it (else the rollback would take it too).
    const outside = db.run('INSERT INTO t (v) VALUES (2)');
    release();
    await expect(failing).rejects.toThrow('boom');
    await outside;
    expect(await db.all<{ v: number }>('SELECT v FROM t ORDER BY v')).toEqual([{ v: 2 }]);
  });

  it('reports the new row id and the changed-row count the same way', async () => {
    await migrate(db);
    const a = await db.run("INSERT INTO networks (key, name, name_en, color) VALUES ('n1', '雪亮', 'Xueliang', '#f00')");
    expect(a.changes).toBe(1);
    const first = await db.run('INSERT INTO events (at, org_path, type, payload) VALUES (?, ?, ?, ?)', ['t', '/1/', 'x', '{}']);
    const second = await db.run('INSERT INTO events (at, org_path, type, payload) VALUES (?, ?, ?, ?)', ['t', '/1/', 'x', '{}']);
    expect(second.lastID).toBe(first.lastID + 1);
    const n = await db.get<{ n: number; flag: number }>('SELECT count(*) AS n, max(seq) = ? AS flag FROM events', [second.lastID]);
    expect(n).toEqual({ n: 2, flag: 1 });
    expect((await db.run("UPDATE networks SET sort = 2 WHERE key = 'none'")).changes).toBe(0);
    await expect(db.run("INSERT INTO networks (key, name, name_en, color) VALUES ('n1', 'a', 'b', 'c')")).rejects.toThrow(/UNIQUE constraint failed/);
  });

  it('finds and deletes nothing for a key no row can hold (an id past BIGINT, text with NUL), also inside a transaction', async () => {
    await migrate(db);
    // What a fuzzed URL brings: /api/layouts/99999999999999999999999, /api/…/network/%00. SQLite compares and
    // matches nothing; PostgreSQL refuses such binds, which must not become a 500 (or abort a transaction).
    expect(await db.get('SELECT key FROM networks WHERE key = ?', ['x\0'])).toBeUndefined();
    expect(await db.all('SELECT id FROM saved_layouts WHERE id = ?', [1e23])).toEqual([]);
    expect(await db.run('DELETE FROM saved_layouts WHERE user_id = ? AND id = ?', [1, 1e23])).toMatchObject({ changes: 0 });
    expect(await db.run('DELETE FROM networks WHERE key = ?', ['x\0'])).toMatchObject({ changes: 0 });
    const inside = await db.transaction(async (tx) => {
      const found = await tx.get('SELECT key FROM networks WHERE key = ?', ['\0']);
      const { changes } = await tx.run('DELETE FROM saved_layouts WHERE id = ?', [1e23]);
      await tx.run("INSERT INTO networks (key, name, name_en, color) VALUES ('after', 'a', 'a', '#000')");
      return { found, changes };
    });
    expect(inside).toEqual({ found: undefined, changes: 0 });
    expect(await db.get<{ key: string }>("SELECT key FROM networks WHERE key = 'after'")).toEqual({ key: 'after' });
  });

  it('gives the SQLite functions the same meaning (substr with a negative length, instr, scalar max, julianday, sum of a comparison)', async () => {
    await migrate(db);
    const row = await db.get(
      `SELECT substr('abc', 1, -1) AS a, substr('abcdef', 5, -2) AS b, substr('abcdef', 3) AS c, instr('东城街道', '街') AS d,
              instr('abc', 'z') AS e, max(1, ?) AS f, min('b', 'a') AS g,
              julianday('2026-01-02T12:00:00.000Z') - julianday('2026-01-01T00:00:00.000Z') AS h,
              (SELECT sum(v > 1) FROM (SELECT 1 AS v UNION ALL SELECT 2 UNION ALL SELECT 3) x) AS i,
              (SELECT count(*) FROM json_each(?)) AS j, 'x' = 'x' AS k`,
      [5, JSON.stringify([1, 2, 3])],
    );
    expect(row).toEqual({ a: '', b: 'cd', c: 'cdef', d: 3, e: 0, f: 5, g: 'a', h: 1.5, i: 2, j: 3, k: 1 });
  });
});
