import type { Queryable, SqlValue } from '../database';
import { prefixUpperBound } from '../../domain/scope';

export interface AuditEntry {
  actorType: 'user' | 'resident' | 'system' | 'anonymous';
  actorId?: string | number | null;
  actorName?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | number | null;
  orgUnitId?: number | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
}

export interface AuditRow {
  id: number;
  at: string;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  orgUnitId: number | null;
  detail: string | null;
  ip: string | null;
}

/** Filters of the audit page; `orgPath` is the subtree of the unit asked for, resolved by the route. */
export interface AuditSearch {
  from?: string;
  to?: string;
  actor?: string;
  /** Exact, or a prefix when it ends in '.' or '*'. */
  action?: string;
  targetType?: string;
  targetId?: string;
  orgPath?: string;
  /** Free text inside the detail JSON. */
  q?: string;
  /** Keyset cursor: only rows with a smaller id. */
  before?: number;
  limit: number;
}

export interface AuditSearchRow extends AuditRow {
  orgUnitName: string | null;
}

/** The prefix of a prefix filter ('dispatch.' or 'dispatch*'), or undefined for an exact action. */
function actionPrefix(action: string | undefined): string | undefined {
  if (!action) return undefined;
  if (action.endsWith('*')) return action.slice(0, -1);
  return action.endsWith('.') ? action : undefined;
}

/** LIKE with the user's % and _ taken literally. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function whereOf(s: AuditSearch): { sql: string; params: SqlValue[] } {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: string, ...values: SqlValue[]) => {
    where.push(clause);
    params.push(...values);
  };
  if (s.from) add('a.at >= ?', new Date(s.from).toISOString());
  if (s.to) add('a.at < ?', new Date(s.to).toISOString());
  if (s.actor) add('a.actor_name = ?', s.actor);
  if (s.action) add('a.action = ?', s.action);
  if (s.targetType) add('a.target_type = ?', s.targetType);
  if (s.targetId) add('a.target_id = ?', s.targetId);
  // '+' keeps the planner off any org-unit index: a subtree is many units, and gathering every row of each to sort
  // them cost 150 ms in 300,000 rows, where walking newest first until a page is full stops early.
  if (s.orgPath) add('+a.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)', s.orgPath, prefixUpperBound(s.orgPath));
  if (s.q) add("a.detail LIKE ? ESCAPE '\\'", `%${likeLiteral(s.q)}%`);
  if (s.before) add('a.id < ?', s.before);
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

export class AuditRepository {
  constructor(private readonly db: Queryable) {}

  async record(entry: AuditEntry, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO audit_log (at, actor_type, actor_id, actor_name, action, target_type, target_id, org_unit_id, detail, ip)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        new Date().toISOString(),
        entry.actorType,
        entry.actorId == null ? null : String(entry.actorId),
        entry.actorName ?? null,
        entry.action,
        entry.targetType ?? null,
        entry.targetId == null ? null : String(entry.targetId),
        entry.orgUnitId ?? null,
        entry.detail ? JSON.stringify(entry.detail) : null,
        entry.ip ?? null,
      ],
    );
  }

  recent(limit = 100, action?: string): Promise<AuditRow[]> {
    return this.db.all<AuditRow>(
      `SELECT id, at, actor_type AS actorType, actor_id AS actorId, actor_name AS actorName, action, target_type AS targetType,
              target_id AS targetId, org_unit_id AS orgUnitId, detail, ip
       FROM audit_log ${action ? 'WHERE action = ?' : ''} ORDER BY id DESC LIMIT ?`,
      action ? [action, limit] : [limit],
    );
  }

  /**
   * One page of rows matching the filters, newest first (by id, which follows the time of writing).
   * An action prefix is answered as one query per action under it, merged here: each of those walks the action
   * index already in id order, where one range query over the prefix would sort every matching row first
   * (250 ms for 'dispatch.' in 300,000 rows, against a few ms this way).
   */
  async search(filter: AuditSearch): Promise<AuditSearchRow[]> {
    const prefix = actionPrefix(filter.action);
    if (prefix === undefined) return this.page(filter);
    const pages = [];
    for (const action of await this.actionsUnder(prefix)) pages.push(await this.page({ ...filter, action }));
    return pages.flat().sort((a, b) => b.id - a.id).slice(0, filter.limit);
  }

  /**
   * Every row matching the filters, newest first, in batches of `chunk` (the CSV export). Under an action prefix each
   * action is its own cursor and the batches merge their heads, so every row is read once.
   */
  async *batches(filter: Omit<AuditSearch, 'limit' | 'before'>, chunk = 2_000): AsyncGenerator<AuditSearchRow[]> {
    const prefix = actionPrefix(filter.action);
    const actions = prefix === undefined ? [filter.action] : await this.actionsUnder(prefix);
    const cursors = actions.map((action) => ({ action, rows: [] as AuditSearchRow[], next: 0, before: undefined as number | undefined, done: false }));
    let batch: AuditSearchRow[] = [];
    for (;;) {
      for (const c of cursors) {
        if (c.next < c.rows.length || c.done) continue;
        c.rows = await this.page({ ...filter, action: c.action, before: c.before, limit: chunk });
        c.next = 0;
        c.done = c.rows.length < chunk;
        if (c.rows.length) c.before = c.rows[c.rows.length - 1].id;
      }
      let newest: (typeof cursors)[number] | undefined;
      for (const c of cursors) if (c.next < c.rows.length && (!newest || c.rows[c.next].id > newest.rows[newest.next].id)) newest = c;
      if (!newest) break;
      batch.push(newest.rows[newest.next++]);
      if (batch.length === chunk) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  }

  /** The distinct actions starting with `prefix`, one index seek each (a skip scan SQLite does not do itself). */
  private async actionsUnder(prefix: string): Promise<string[]> {
    const found: string[] = [];
    let after = '';
    // Bounded: a prefix has a few dozen actions at most; 500 would mean actions are being invented per row.
    for (let i = 0; i < 500; i++) {
      const row = await this.db.get<{ action: string }>(
        'SELECT action FROM audit_log WHERE action >= ? AND action < ? AND action > ? ORDER BY action LIMIT 1',
        [prefix, prefixUpperBound(prefix), after],
      );
      if (!row) break;
      found.push(row.action);
      after = row.action;
    }
    return found;
  }

  private page(filter: AuditSearch): Promise<AuditSearchRow[]> {
    const { sql, params } = whereOf(filter);
    return this.db.all<AuditSearchRow>(
      `SELECT a.id, a.at, a.actor_type AS actorType, a.actor_id AS actorId, a.actor_name AS actorName, a.action, a.target_type AS targetType,
              a.target_id AS targetId, a.org_unit_id AS orgUnitId, o.name AS orgUnitName, a.detail, a.ip
       FROM audit_log a LEFT JOIN org_units o ON o.id = a.org_unit_id
       ${sql} ORDER BY a.id DESC LIMIT ?`,
      [...params, filter.limit],
    );
  }
}
