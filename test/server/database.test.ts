import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';

describe('database', () => {
  let dir: string;
  let db: Database;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvc-db-'));
    db = await Database.open(join(dir, 'db.sqlite'));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies each migration once, with WAL and foreign keys on', async () => {
    expect(await migrate(db)).toContain('001_init.sql');
    expect(await migrate(db)).toEqual([]);
    expect((await db.get<{ journal_mode: string }>('PRAGMA journal_mode'))?.journal_mode).toBe('wal');
    expect((await db.get<{ foreign_keys: number }>('PRAGMA foreign_keys'))?.foreign_keys).toBe(1);
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
    // Issued while the transaction is open: must run after it, not inside it (else the rollback would take it too).
    const outside = db.run('INSERT INTO t (v) VALUES (2)');
    release();
    await expect(failing).rejects.toThrow('boom');
    await outside;
    expect(await db.all<{ v: number }>('SELECT v FROM t ORDER BY v')).toEqual([{ v: 2 }]);
  });
});
