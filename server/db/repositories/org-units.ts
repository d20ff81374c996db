import type { OrgLevel, OrgUnit } from '../../contracts/api';
import { NotFoundError } from '../../errors';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export interface OrgUnitRow {
  id: number;
  code: string;
  name: string;
  level: OrgLevel;
  parent_id: number | null;
  path: string;
}

export interface NewOrgUnit {
  code: string;
  name: string;
  level: OrgLevel;
  /** null for a root; an existing unit by id, or an earlier entry of the same insertMany() by index. */
  parent: { id: number } | { index: number } | null;
}

// Counts cover the whole subtree: a sum over the subtree's units of per-unit counts that triggers keep
// (migration 003; a catalogue import recomputes the units it touched instead, camera-bulk-write.ts), so a county
// root with 100,000 cameras adds up hundreds of rows, not 100,000.
const SUBTREE_COUNT = (column: 'cameras' | 'online') => `(SELECT coalesce(sum(n.${column}), 0) FROM org_units d
      JOIN org_unit_camera_counts n ON n.unit_id = d.id WHERE d.path >= u.path AND d.path < u.path || '~')`;
const WITH_COUNTS = `
  SELECT u.id, u.code, u.name, u.level, u.parent_id AS parentId,
    (SELECT count(*) FROM org_units k WHERE k.parent_id = u.id) AS childCount,
    ${SUBTREE_COUNT('cameras')} AS cameraCount,
    ${SUBTREE_COUNT('online')} AS onlineCount
  FROM org_units u`;

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
      (await db.all<{ id: number; path: string }>('SELECT id, path FROM org_units WHERE id IN (SELECT value FROM json_each(?))', [JSON.stringify(parentIds)]))
        .map((r) => [r.id, r]),
    );
    const maxId = (await db.get<{ id: number | null }>('SELECT max(id) AS id FROM org_units'))?.id ?? 0;
    const rows: OrgUnitRow[] = [];
    for (const [i, unit] of units.entries()) {
      const id = maxId + 1 + i;
      const parent = unit.parent === null ? null
        : 'id' in unit.parent ? parents.get(unit.parent.id) : unit.parent.index < i ? rows[unit.parent.index] : undefined;
      if (parent === undefined) throw new NotFoundError(`Parent of org unit ${unit.code}`, 'parentId');
      rows.push({ id, code: unit.code, name: unit.name, level: unit.level, parent_id: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` });
    }
    await db.run(
      `INSERT INTO org_units (id, code, name, level, parent_id, path)
       SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5 FROM json_each(?) WHERE true`,
      [JSON.stringify(rows.map((r) => [r.id, r.code, r.name, r.level, r.parent_id, r.path]))],
    );
    return rows;
  }

  byId(id: number, db: Queryable = this.db): Promise<OrgUnitRow | undefined> {
    return db.get<OrgUnitRow>('SELECT * FROM org_units WHERE id = ?', [id]);
  }

  findByCode(code: string): Promise<OrgUnitRow | undefined> {
    return this.db.get<OrgUnitRow>('SELECT * FROM org_units WHERE code = ?', [code]);
  }

  withCounts(id: number): Promise<OrgUnit | undefined> {
    return this.db.get<OrgUnit>(`${WITH_COUNTS} WHERE u.id = ?`, [id]);
  }

  children(parentId: number): Promise<OrgUnit[]> {
    return this.db.all<OrgUnit>(`${WITH_COUNTS} WHERE u.parent_id = ? ORDER BY u.code`, [parentId]);
  }

  /** Every unit in a subtree, root first; for small trees (demo, exports). */
  subtree(path: string): Promise<OrgUnitRow[]> {
    return this.db.all<OrgUnitRow>('SELECT * FROM org_units WHERE path >= ? AND path < ? ORDER BY path', [path, prefixUpperBound(path)]);
  }

  /** Each unit's names from the root down ("安澜县/东城街道/团结社区"); unknown ids are left out. Two queries in all. */
  async namePaths(ids: readonly number[]): Promise<Array<{ id: number; level: OrgLevel; path: string; unitPath: string }>> {
    if (ids.length === 0) return [];
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
    const units = await this.db.all<OrgUnitRow>(`SELECT * FROM org_units WHERE id IN (${marks(ids.length)})`, [...ids]);
    const ancestorIds = [...new Set(units.flatMap((u) => u.path.split('/').filter(Boolean).map(Number)))];
    if (ancestorIds.length === 0) return [];
    const names = new Map(
      (await this.db.all<{ id: number; name: string }>(`SELECT id, name FROM org_units WHERE id IN (${marks(ancestorIds.length)})`, ancestorIds))
        .map((r) => [r.id, r.name]),
    );
    return units.map((u) => ({
      id: u.id, level: u.level, unitPath: u.path,
      path: u.path.split('/').filter(Boolean).map((id) => names.get(Number(id)) ?? '?').join('/'),
    }));
  }

  count(): Promise<number> {
    return this.db.get<{ n: number }>('SELECT count(*) AS n FROM org_units').then((r) => r?.n ?? 0);
  }
}
