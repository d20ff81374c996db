// A subtree move rewrites every stored copy of a unit path (OrgUnitRepository.move over PATH_COLUMNS). A table that
// later gains such a column must join that list, or a move would leave its rows behind in the old place: this reads
// the migrated schema and fails for a `*path` column the list does not name (or a listed one that is gone).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PATH_COLUMNS } from '../../server/db/repositories/org-units';
import { buildTestApp, type TestApp } from '../helpers/app';

/** Columns named *path that hold no unit path: a move has nothing to rewrite in them. */
const NOT_UNIT_PATHS = new Set(['recording_files.path']); // a recording file's place on disk (server/media/record)

describe('every stored unit path is rewritten by a move', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it('PATH_COLUMNS names exactly the schema’s path columns', async () => {
    const columns = await t.app.db.all<{ tbl: string; col: string }>(t.app.db.dialect === 'postgres'
      ? `SELECT c.table_name AS tbl, c.column_name AS col FROM information_schema.columns c
         JOIN information_schema.tables m ON m.table_name = c.table_name AND m.table_schema = c.table_schema
         WHERE c.table_schema = current_schema() AND m.table_type = 'BASE TABLE' AND c.column_name LIKE '%path' ORDER BY 1, 2`
      : `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
         WHERE m.type = 'table' AND p.name LIKE '%path' ORDER BY 1, 2`,
    );
    expect(columns.map((c) => `${c.tbl}.${c.col}`).filter((c) => !NOT_UNIT_PATHS.has(c))).toEqual(PATH_COLUMNS.map(([t, c]) => `${t}.${c}`).sort());
  });
});
