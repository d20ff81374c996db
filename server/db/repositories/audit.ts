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
  if (s.action) {
    const prefix = s.action.endsWith('*') ? s.action.slice(0, -1) : s.action.endsWith('.') ? s.action : undefined;
    // A prefix as a range, so the action index answers it (LIKE would not: it is case-insensitive).
    if (prefix) add('a.action >= ? AND a.action < ?', prefix, prefixUpperBound(prefix));
    else add('a.action = ?', s.action);
  }
  if (s.targetType) add('a.target_type = ?', s.targetType);
  if (s.targetId) add('a.target_id = ?', s.targetId);
  if (s.orgPath) add('a.org_unit_id IN (SELECT id FROM org_units WHERE path >= ? AND path < ?)', s.orgPath, prefixUpperBound(s.orgPath));
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

  /** One page of rows matching the filters, newest first (by id, which follows the time of writing). */
  search(filter: AuditSearch): Promise<AuditSearchRow[]> {
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
