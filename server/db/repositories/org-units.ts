import type { OrgLevel, OrgUnit } from '../../contracts/api';
import { NotFoundError } from '../../errors';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export interface OrgUnitRow {
  id: number;
  code: string;
  name: string;
  /** English name (migration 014); null: the English UI shows `name`. */
  name_en: string | null;
  level: OrgLevel;
  parent_id: number | null;
  path: string;
}

export interface NewOrgUnit {
  code: string;
  name: string;
  nameEn?: string | null;
  level: OrgLevel;
  /** null for a root; an existing unit by id, or an earlier entry of the same insertMany() by index. */
  parent: { id: number } | { index: number } | null;
}

// Counts cover the whole subtree: a sum over the subtree's units of per-unit counts that triggers keep
// (migration 003; a catalogue import recomputes the units it touched instead, camera-bulk-write.ts), so a county
// root with 100,000 cameras adds up hundreds of rows, not 100,000.
const SUBTREE_COUNT = (column: 'cameras' | 'online') => `(SELECT coalesce(sum(n.${column}), 0) FROM org_units d
      JOIN org_unit_camera_counts n ON n.unit_id = d.id WHERE d.path >= u.path AND d.path < u.path || '~')`;
// Users are few (hundreds to a few thousand): the subtree's units, each looked up in users(org_unit_id) (migration 014).
// Deleted accounts (kept for the audit log, migration 013) are not counted.
const SUBTREE_USERS = `(SELECT count(*) FROM org_units d JOIN users x ON x.org_unit_id = d.id
      WHERE d.path >= u.path AND d.path < u.path || '~' AND x.deleted_at IS NULL)`;
const WITH_COUNTS = `
  SELECT u.id, u.code, u.name, u.name_en AS nameEn, u.level, u.parent_id AS parentId,
    (SELECT count(*) FROM org_units k WHERE k.parent_id = u.id) AS childCount,
    ${SUBTREE_COUNT('cameras')} AS cameraCount,
    ${SUBTREE_COUNT('online')} AS onlineCount,
    ${SUBTREE_USERS} AS userCount
  FROM org_units u`;

/**
 * Every stored copy of a unit's path, by table and column: a subtree move rewrites each of them in one statement
 * (OrgUnitRepository.move), and test/org/path-columns.test.ts fails for a `*path` column missing here. Users,
 * sessions and share links hold a unit id and reach the path through a join, so they follow a move by themselves.
 */
export const PATH_COLUMNS = [
  ['org_units', 'path'],
  ['cameras', 'org_path'],
  ['dangers', 'org_path'],
  ['dangers', 'owner_path'],
  ['tasks', 'from_path'],
  ['tasks', 'to_path'],
  ['layout_pushes', 'to_path'],
  ['discovery_jobs', 'org_path'],
  ['maintenance_tickets', 'org_path'],
  // The event log: replay (events:since) selects by path prefix, so a moved unit's recent events follow it.
  ['events', 'org_path'],
] as const;

/**
 * What still names a unit, by what a 409 calls it: a unit is deleted only when every count is 0. Each is a foreign
 * key to org_units except the path-only ones; history (tasks, pushes, dispatch history) counts too, since deleting
 * the unit would orphan it.
 */
const REFERENCES: Record<string, string> = {
  'child units': 'SELECT count(*) FROM org_units WHERE parent_id = :id',
  cameras: 'SELECT count(*) FROM cameras WHERE org_unit_id = :id',
  users: 'SELECT count(*) FROM users WHERE org_unit_id = :id AND deleted_at IS NULL',
  // A deleted account keeps its row and unit so that the audit log still names it (migration 013).
  'deleted users': 'SELECT count(*) FROM users WHERE org_unit_id = :id AND deleted_at IS NOT NULL',
  'hidden dangers': 'SELECT count(*) FROM dangers WHERE org_unit_id = :id OR owner_unit_id = :id',
  tasks: 'SELECT count(*) FROM tasks WHERE from_unit_id = :id OR to_unit_id = :id',
  'dispatch history entries': 'SELECT count(*) FROM danger_history WHERE actor_unit_id = :id',
  'resident links': 'SELECT count(*) FROM share_links WHERE org_unit_id = :id',
  'wall pushes': 'SELECT count(*) FROM layout_pushes WHERE from_unit_id = :id OR to_unit_id = :id',
  'discovery jobs': 'SELECT count(*) FROM discovery_jobs WHERE org_unit_id = :id',
};

export class OrgUnitRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * New units in three statements whatever their number (the demo seeds ~500, an import may create hundreds;
   * one INSERT plus a path UPDATE each took ~0.3 s for 500). `parent` is null for a root, an existing unit's id,
   * or the index of an earlier entry. Ids are the ones SQLite would give (max + 1, in order), so each path, made
   * of ids, is known up front.
   */
  async insertMany(units: readonly NewOrgUnit[], db: Queryable = this.db): Promise<OrgUnitRow[]> {
    if (units.length === 0) return [];
    const parentIds = [...new Set(units.flatMap((u) => (u.parent && 'id' in u.parent ? [u.parent.id] : [])))];
    const parents = new Map(
      (await db.all<{ id: number; path: string }>('SELECT id, path FROM org_units WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))', [JSON.stringify(parentIds)]))
        .map((r) => [r.id, r]),
    );
    // Above every id in use and every id ever deleted (migration 014): a new unit never inherits an old one's history.
    const maxId = (await db.get<{ id: number }>(
      `SELECT max(coalesce((SELECT max(id) FROM org_units), 0), coalesce((SELECT id FROM id_high_water WHERE name = 'org_units'), 0)) AS id`,
    ))!.id;
    const rows: OrgUnitRow[] = [];
    for (const [i, unit] of units.entries()) {
      const id = maxId + 1 + i;
      const parent = unit.parent === null ? null
        : 'id' in unit.parent ? parents.get(unit.parent.id) : unit.parent.index < i ? rows[unit.parent.index] : undefined;
      if (parent === undefined) throw new NotFoundError(`Parent of org unit ${unit.code}`, 'parentId');
      rows.push({
        id, code: unit.code, name: unit.name, name_en: unit.nameEn ?? null, level: unit.level, parent_id: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/`,
      });
    }
    await db.run(
      `INSERT INTO org_units (id, code, name, name_en, level, parent_id, path)
       SELECT CAST(value ->> 0 AS INTEGER), value ->> 1, value ->> 2, value ->> 3, value ->> 4, CAST(value ->> 5 AS INTEGER), value ->> 6
       FROM json_each(?) WHERE true`,
      [JSON.stringify(rows.map((r) => [r.id, r.code, r.name, r.name_en, r.level, r.parent_id, r.path]))],
    );
    return rows;
  }

  byId(id: number, db: Queryable = this.db): Promise<OrgUnitRow | undefined> {
    return db.get<OrgUnitRow>('SELECT * FROM org_units WHERE id = ?', [id]);
  }

  /** The county root (the unit without a parent), if the database has one yet. */
  root(db: Queryable = this.db): Promise<OrgUnitRow | undefined> {
    return db.get<OrgUnitRow>('SELECT * FROM org_units WHERE parent_id IS NULL ORDER BY id LIMIT 1');
  }

  findByCode(code: string, db: Queryable = this.db): Promise<OrgUnitRow | undefined> {
    return db.get<OrgUnitRow>('SELECT * FROM org_units WHERE code = ?', [code]);
  }

  /** A child of `parentId` (null: a root) with this exact name: the catalogue import finds units by name path. */
  childNamed(parentId: number | null, name: string, db: Queryable = this.db): Promise<OrgUnitRow | undefined> {
    return db.get<OrgUnitRow>('SELECT * FROM org_units WHERE parent_id IS ? AND name = ? LIMIT 1', [parentId, name]);
  }

  /** Codes that start with `prefix` (a parent's code), for picking the next child code. */
  async codesStartingWith(prefix: string, db: Queryable = this.db): Promise<string[]> {
    const rows = await db.all<{ code: string }>('SELECT code FROM org_units WHERE code >= ? AND code < ?', [prefix, prefixUpperBound(prefix)]);
    return rows.map((r) => r.code);
  }

  async update(id: number, change: { name?: string; nameEn?: string | null; code?: string }, db: Queryable = this.db): Promise<void> {
    const sets: string[] = [];
    const params: Array<string | number | null> = [];
    for (const [column, value] of [['name', change.name], ['name_en', change.nameEn], ['code', change.code]] as const) {
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      params.push(value);
    }
    if (sets.length) await db.run(`UPDATE org_units SET ${sets.join(', ')} WHERE id = ?`, [...params, id]);
  }

  /**
   * Puts `unit` and its subtree under `parent`: the parent link, then every stored copy of every path in the
   * subtree (PATH_COLUMNS), each in one set-based statement over a path-prefix range — a township with 100,000
   * cameras is one UPDATE of cameras, not 100,000. Call inside the caller's transaction. Returns rows rewritten
   * per "table.column". No trigger watches these columns (migration 003's count and search triggers fire on unit
   * id, status and names), and per-unit camera counts do not change when a whole subtree moves.
   */
  async move(unit: OrgUnitRow, parent: OrgUnitRow, db: Queryable = this.db): Promise<{ path: string; rewritten: Record<string, number> }> {
    const from = unit.path;
    const to = `${parent.path}${unit.id}/`;
    await db.run('UPDATE org_units SET parent_id = ? WHERE id = ?', [parent.id, unit.id]);
    const rewritten: Record<string, number> = {};
    for (const [table, column] of PATH_COLUMNS) {
      const { changes } = await db.run(
        `UPDATE ${table} SET ${column} = ? || substr(${column}, ?) WHERE ${column} >= ? AND ${column} < ?`,
        [to, from.length + 1, from, prefixUpperBound(from)],
      );
      rewritten[`${table}.${column}`] = changes;
    }
    return { path: to, rewritten };
  }

  /** What still names the unit, by name, only the non-zero counts ({} when it may be deleted). */
  async references(id: number, db: Queryable = this.db): Promise<Record<string, number>> {
    const select = Object.entries(REFERENCES).map(([name, sql]) => `(${sql}) AS "${name}"`).join(', ');
    const row = (await db.get<Record<string, number>>(`SELECT ${select}`, { ':id': id }))!;
    return Object.fromEntries(Object.entries(row).filter(([, n]) => n > 0));
  }

  /** Deletes an empty unit (its camera-count row goes with it: ON DELETE CASCADE). */
  async delete(id: number, db: Queryable = this.db): Promise<void> {
    await db.run('DELETE FROM org_units WHERE id = ?', [id]);
  }

  withCounts(id: number, db: Queryable = this.db): Promise<OrgUnit | undefined> {
    return db.get<OrgUnit>(`${WITH_COUNTS} WHERE u.id = ?`, [id]);
  }

  children(parentId: number, db: Queryable = this.db): Promise<OrgUnit[]> {
    return db.all<OrgUnit>(`${WITH_COUNTS} WHERE u.parent_id = ? ORDER BY u.code`, [parentId]);
  }

  /** Every unit in a subtree, root first; for small trees (demo, exports). */
  subtree(path: string): Promise<OrgUnitRow[]> {
    return this.db.all<OrgUnitRow>('SELECT * FROM org_units WHERE path >= ? AND path < ? ORDER BY path', [path, prefixUpperBound(path)]);
  }

  /**
   * Each unit's names from the root down ("安澜县/东城街道/团结社区"), and the same in English names where a unit
   * has one; unknown ids are left out. Two queries in all.
   */
  async namePaths(ids: readonly number[]): Promise<Array<{ id: number; level: OrgLevel; path: string; pathEn: string; unitPath: string }>> {
    if (ids.length === 0) return [];
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
    const units = await this.db.all<OrgUnitRow>(`SELECT * FROM org_units WHERE id IN (${marks(ids.length)})`, [...ids]);
    const ancestorIds = [...new Set(units.flatMap((u) => u.path.split('/').filter(Boolean).map(Number)))];
    if (ancestorIds.length === 0) return [];
    const names = new Map(
      (await this.db.all<{ id: number; name: string; nameEn: string | null }>(
        `SELECT id, name, name_en AS nameEn FROM org_units WHERE id IN (${marks(ancestorIds.length)})`, ancestorIds,
      )).map((r) => [r.id, r]),
    );
    const join = (path: string, en: boolean) => path.split('/').filter(Boolean)
      .map((id) => names.get(Number(id)))
      .map((n) => (n ? (en && n.nameEn) || n.name : '?')).join('/');
    return units.map((u) => ({ id: u.id, level: u.level, unitPath: u.path, path: join(u.path, false), pathEn: join(u.path, true) }));
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM org_units').then((r) => r?.n ?? 0);
  }
}
