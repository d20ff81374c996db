// Numbered SQL migrations, each applied once, in order, in its own transaction: server/db/migrations/NNN_name.sql
// for SQLite and server/db/migrations/pg/NNN_name.sql for PostgreSQL, one list with the same numbers and names
// (test/db/migrations-parity.test.ts), so a version recorded by one engine means the same schema on the other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, Queryable } from './database';

export const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');
export const PG_MIGRATIONS_DIR = join(MIGRATIONS_DIR, 'pg');

export function migrationFiles(dir: string): string[] {
  return readdirSync(dir).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
}

/** Any fixed bigint: on PostgreSQL, nodes starting together take turns per migration (see migrate). */
export const MIGRATION_LOCK = 0x6376636d67;

export async function migrate(db: Database, dir = db.dialect === 'postgres' ? PG_MIGRATIONS_DIR : MIGRATIONS_DIR): Promise<string[]> {
  // On PostgreSQL several gateway nodes may start at once on one database (issue #22): each step runs under a
  // transaction-level advisory lock and looks again, inside it, whether another node has applied it meanwhile.
  // SQLite is one process (its write transactions are serialized anyway); the lock statement is PostgreSQL's only.
  // No lock_timeout for this wait: another node's migration may take longer than a request should wait.
  const serialize = async (tx: Queryable) => {
    if (db.dialect === 'postgres') {
      await tx.exec('SET LOCAL lock_timeout = 0');
      await tx.get('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
    }
  };
  await db.transaction(async (tx) => {
    await serialize(tx);
    await tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  });
  const done = new Set((await db.all<{ version: string }>('SELECT version FROM schema_migrations')).map((r) => r.version));
  const files = migrationFiles(dir);
  const applied: string[] = [];
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(dir, file), 'utf8');
    const ran = await db.transaction(async (tx) => {
      await serialize(tx);
      if (await tx.get('SELECT 1 AS yes FROM schema_migrations WHERE version = ?', [file])) return false;
      await tx.exec(sql);
      await tx.run('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)', [file, new Date().toISOString()]);
      return true;
    });
    if (ran) applied.push(file);
  }
  return applied;
}
