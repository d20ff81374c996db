// Bulk camera writes (a catalogue import) without the per-row upkeep of migration 003's triggers and indexes.
//
// Measured on a 100,074-row import (2 cores): the per-row triggers and index maintenance were ~2 s of the ~5 s the
// SQL took. Per row, FTS5 tokenised each row and flushed its pending terms to a new segment at every later
// statement (and whenever a row id went backwards, as when the demo's cameras were updated among new ones); each
// insert bumped a per-unit count; each of three secondary indexes took a random-position insert.
//
// So for the length of one import, inside its transaction, the row triggers are dropped and put back unchanged
// (their SQL read back from sqlite_master, so migrations stay the one definition), and their work is done once
// per import, set-based: the FTS rows of the written cameras in one statement in rowid order, their map R*Tree
// entries in one more (migration 015), the counts of the units touched recomputed in one statement. When the
// import writes at least as many rows as the table held,
// the secondary indexes are dropped too and rebuilt by CREATE INDEX, which sorts once instead of inserting
// 100,000 times. Everything happens in the caller's transaction, which holds the connection: no other statement
// sees the table without its triggers, and a failed import rolls the schema back with the rows.
//
// Every other writer (RTSP add, discovery, edits, moves, status, deletes) still goes through the triggers.
import type { Queryable } from './database';

/** The row triggers on cameras that finish() replaces; a test pins this list to the schema's triggers. */
export const SUSPENDED_TRIGGERS = [
  'cameras_fts_insert', 'cameras_fts_update', 'cameras_count_insert', 'cameras_count_update', 'cameras_rtree_insert', 'cameras_rtree_update',
] as const;

interface SchemaObject {
  type: 'trigger' | 'index';
  name: string;
  sql: string;
}

export interface CameraBulkWrite {
  /**
   * Puts back what begin() took away and does its work for the cameras written: `ids` every camera inserted or
   * updated, `unitIds` the org units they now belong to.
   */
  finish(written: { ids: number[]; unitIds: number[] }): Promise<void>;
}

/**
 * Call inside a transaction before writing `rows` cameras, `updatedIds` of them existing ones; call finish() after
 * the last write of that transaction.
 */
export async function beginCameraBulkWrite(db: Queryable, plan: { rows: number; updatedIds: number[] }): Promise<CameraBulkWrite> {
  // PostgreSQL keeps its row triggers (counts, id high-water) and indexes through an import: its pg_trgm index is on
  // the column itself (no shadow FTS table) and there is no R*Tree to fill. Whether dropping indexes pays there too
  // is for bench:catalog on PostgreSQL to show (server/db/README.md).
  // The planner's statistics, though, are those of the table before the import until autovacuum comes round
  // (a minute or more): refresh them in the import's transaction, or the first queries plan for an empty table.
  if (db.dialect === 'postgres') return { finish: async () => { await db.exec('ANALYZE cameras; ANALYZE org_units'); } };
  const triggers = await db.all<SchemaObject>(
    // In creation order, put back in the same order: triggers on one event fire in an order that follows it.
    `SELECT type, name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cameras' AND name IN (${SUSPENDED_TRIGGERS.map(() => '?').join(', ')})
     ORDER BY rowid`,
    [...SUSPENDED_TRIGGERS],
  );
  if (triggers.length !== SUSPENDED_TRIGGERS.length) {
    throw new Error(`camera bulk write: expected triggers ${SUSPENDED_TRIGGERS.join(', ')}, found ${triggers.map((t) => t.name).join(', ')}`);
  }
  const existing = (await db.get<{ n: number }>('SELECT count(*) AS n FROM cameras'))!.n;
  // Rebuilding costs a sort of the whole table; inserting costs a B-tree descent per written row, ~4× a sorted
  // entry here: below this share, incremental upkeep is cheaper.
  const indexes = plan.rows >= existing
    ? await db.all<SchemaObject>("SELECT type, name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'cameras' AND sql IS NOT NULL ORDER BY rowid")
    : [];
  // Units the updated cameras leave, read before they move: their counts change too.
  const previousUnits = plan.updatedIds.length
    ? (await db.all<{ unitId: number }>(
      'SELECT DISTINCT org_unit_id AS unitId FROM cameras WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))', [JSON.stringify(plan.updatedIds)],
    )).map((r) => r.unitId)
    : [];
  for (const object of [...triggers, ...indexes]) await db.exec(`DROP ${object.type.toUpperCase()} ${object.name}`);

  return {
    async finish({ ids, unitIds }) {
      for (const index of indexes) await db.exec(index.sql);
      if (plan.updatedIds.length) {
        // contentless_delete: the old terms go by rowid alone.
        await db.run('DELETE FROM camera_fts WHERE rowid IN (SELECT CAST(value AS INTEGER) FROM json_each(?))', [JSON.stringify(plan.updatedIds)]);
      }
      if (ids.length) {
        // Ascending rowids: FTS5 flushes its pending terms to a new segment whenever a rowid goes backwards. The
        // IN list is walked in sorted order, so the ORDER BY costs no sort (EXPLAIN QUERY PLAN).
        await db.run(
          `INSERT INTO camera_fts (rowid, search_text)
           SELECT c.id, c.search_text FROM cameras c WHERE c.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) ORDER BY c.id`,
          [JSON.stringify(ids)],
        );
      }
      if (ids.length) {
        // The map's R*Tree (migration 015): the written cameras' points again, in one pass.
        await db.run('DELETE FROM camera_rtree WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))', [JSON.stringify(ids)]);
        await db.run(
          `INSERT INTO camera_rtree (id, min_lng, max_lng, min_lat, max_lat)
           SELECT c.id, c.lng, c.lng, c.lat, c.lat FROM cameras c
           WHERE c.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?)) AND c.lat IS NOT NULL AND c.lng IS NOT NULL ORDER BY c.id`,
          [JSON.stringify(ids)],
        );
      }
      const units = [...new Set([...previousUnits, ...unitIds])];
      if (units.length) {
        // The same numbers the count triggers keep, for every unit a written camera left or joined (0 for a unit
        // they all left, as the triggers leave it).
        await db.run(
          `INSERT INTO org_unit_camera_counts (unit_id, cameras, online)
           SELECT u.value, (SELECT count(*) FROM cameras c WHERE c.org_unit_id = u.value),
                  (SELECT count(*) FROM cameras c WHERE c.org_unit_id = u.value AND c.status = 'online')
           FROM json_each(?) u WHERE true
           ON CONFLICT(unit_id) DO UPDATE SET cameras = excluded.cameras, online = excluded.online`,
          [JSON.stringify(units)],
        );
      }
      for (const trigger of triggers) await db.exec(trigger.sql);
    },
  };
}
