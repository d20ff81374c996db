// The two database engines, for `describe.each(backends)`: the same test body runs on a fresh SQLite file and on a
// fresh PostgreSQL database (skipped, with the reason, where PostgreSQL is not installed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../server/db/database';
import { createTestDatabase, postgresUnavailable } from './postgres';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Why this backend is skipped here, if it is. */
  skip: string | undefined;
  /** A fresh, empty database and how to throw it away. */
  open(label: string): Promise<{ db: Database; dispose(): Promise<void> }>;
}

const pgSkip = postgresUnavailable();
if (pgSkip) console.warn(`PostgreSQL backend skipped: ${pgSkip}`);

export const backends: Backend[] = [
  {
    name: 'sqlite',
    skip: undefined,
    async open() {
      const dir = mkdtempSync(join(tmpdir(), 'cvc-db-'));
      const db = await Database.open(join(dir, 'db.sqlite'));
      return { db, dispose: async () => { await db.close(); rmSync(dir, { recursive: true, force: true }); } };
    },
  },
  {
    name: 'postgres',
    skip: pgSkip,
    async open(label) {
      const db = await Database.connect(await createTestDatabase(label));
      return { db, dispose: () => db.close() };
    },
  },
];
