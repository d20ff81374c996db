import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, PG_MIGRATIONS_DIR, migrationFiles } from '../../server/db/migrate';

describe('migrations per dialect', () => {
  it('PostgreSQL has the same numbered list as SQLite (one list, two dialects)', () => {
    const sqlite = migrationFiles(MIGRATIONS_DIR);
    expect(sqlite.length).toBeGreaterThan(0);
    expect(migrationFiles(PG_MIGRATIONS_DIR)).toEqual(sqlite);
  });
});
