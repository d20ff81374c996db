import type { Queryable } from '../database';

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
}
