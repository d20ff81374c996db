import type { Danger, DangerOrigin, DangerQuery, DangerStatus, HistoryEntry, Severity } from '../../contracts/dispatch';
import type { RecheckStatus } from '../../domain/closure-rules';
import { prefixUpperBound } from '../../domain/scope';
import type { Params, Queryable } from '../database';

export interface NewDanger {
  cameraId: number;
  cameraName: string;
  network: string;
  orgUnitId: number;
  orgPath: string;
  lat: number | null;
  lng: number | null;
  address: string;
  capturedAt: string;
  category: string;
  severity: Severity;
  note: string;
  evidenceSha256: string;
  evidenceBytes: number;
  ownerUnitId: number;
  ownerPath: string;
  createdBy: number;
  createdByName: string;
  at: string;
  /** Default staff. A resident's report names the link's issuer as created_by (the table needs a user; the issuer
   * answers for the link) and the link in created_by_name. */
  origin?: DangerOrigin;
}

/** A danger as stored: the public shape without its task and image address (server/dispatch/present.ts), plus the
 * paths that decide who sees and dispatches. */
export interface DangerRecord extends Omit<Danger, 'task' | 'evidenceUrl'> {
  orgPath: string;
  ownerUnitId: number;
  ownerPath: string;
  ownerUnitName: string;
  currentTaskId: number | null;
}

export interface NewHistory {
  dangerId: number;
  taskId: number | null;
  at: string;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorType: 'user' | 'system';
  actorId: number | null;
  actorName: string | null;
  actorUnitId: number | null;
  note: string;
}

/** Milestones the workflow stamps on the danger for statistics (first dispatch, first 签收, 办结). */
export interface DangerChange {
  status: DangerStatus;
  at: string;
  currentTaskId?: number;
  dispatchedAt?: string;
  acceptedAt?: string;
  closedAt?: string;
  /** 复查 set at 办结: pending with its due date and the unit that re-checks. */
  recheck?: { dueAt: string; unitId: number };
}

/** A danger waiting for its re-check, as the re-check scanner reads it. */
export interface RecheckDue {
  id: number;
  orgPath: string;
  cameraName: string;
  category: string;
  recheckDueAt: string;
  recheckUnitId: number;
  recheckUnitPath: string;
}

const SELECT = `
  SELECT d.id, d.camera_id AS cameraId, d.camera_name AS cameraName, d.network, d.org_unit_id AS orgUnitId, u.name AS orgUnitName,
         d.org_path AS orgPath, d.lat, d.lng, d.address, d.captured_at AS capturedAt, d.category, d.severity, d.note, d.status,
         d.evidence_sha256 AS evidenceSha256, d.created_by_name AS createdBy, d.created_at AS createdAt,
         d.owner_unit_id AS ownerUnitId, d.owner_path AS ownerPath, w.name AS ownerUnitName, d.current_task_id AS currentTaskId,
         d.origin, d.recheck_status AS recheckStatus, d.recheck_due_at AS recheckDueAt, d.recheck_unit_id AS recheckUnitId
  FROM dangers d JOIN org_units u ON u.id = d.org_unit_id JOIN org_units w ON w.id = d.owner_unit_id`;

export class DangerRepository {
  constructor(private readonly db: Queryable) {}

  async insert(d: NewDanger, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO dangers (camera_id, camera_name, network, org_unit_id, org_path, lat, lng, address, captured_at, category, severity,
                            note, evidence_sha256, evidence_bytes, owner_unit_id, owner_path, created_by, created_by_name, created_at, updated_at, origin)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.cameraId, d.cameraName, d.network, d.orgUnitId, d.orgPath, d.lat, d.lng, d.address, d.capturedAt, d.category, d.severity,
        d.note, d.evidenceSha256, d.evidenceBytes, d.ownerUnitId, d.ownerPath, d.createdBy, d.createdByName, d.at, d.at, d.origin ?? 'staff'],
    );
    return lastID;
  }

  async byId(id: number, db: Queryable = this.db): Promise<DangerRecord | undefined> {
    return db.get<DangerRecord>(`${SELECT} WHERE d.id = ?`, [id]);
  }

  async update(id: number, change: DangerChange, db: Queryable = this.db): Promise<void> {
    // coalesce keeps the first dispatch / first acceptance: a re-dispatch after a return does not reset the clock.
    await db.run(
      `UPDATE dangers SET status = ?, updated_at = ?, current_task_id = coalesce(?, current_task_id),
              first_dispatched_at = coalesce(first_dispatched_at, ?), first_accepted_at = coalesce(first_accepted_at, ?),
              closed_at = coalesce(?, closed_at),
              recheck_status = CASE WHEN ? IS NULL THEN recheck_status ELSE 'pending' END,
              recheck_due_at = coalesce(?, recheck_due_at), recheck_unit_id = coalesce(?, recheck_unit_id),
              recheck_notified_at = CASE WHEN ? IS NULL THEN recheck_notified_at ELSE NULL END
       WHERE id = ?`,
      [change.status, change.at, change.currentTaskId ?? null, change.dispatchedAt ?? null, change.acceptedAt ?? null, change.closedAt ?? null,
        change.recheck?.dueAt ?? null, change.recheck?.dueAt ?? null, change.recheck?.unitId ?? null, change.recheck?.dueAt ?? null, id],
    );
  }

  /**
   * Records a re-check verdict on a pending re-check: passed keeps the danger closed for good; failed reopens it
   * (`reopenedStatus`, closed_at cleared so no closure is counted). False when it was no longer pending.
   */
  async decideRecheck(id: number, to: RecheckStatus, reopenedStatus: DangerStatus | null, at: string, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE dangers SET recheck_status = ?, rechecked_at = ?, updated_at = ?,
              status = coalesce(?, status), closed_at = CASE WHEN ? IS NULL THEN closed_at ELSE NULL END
       WHERE id = ? AND recheck_status = 'pending'`,
      [to, at, at, reopenedStatus, reopenedStatus, id],
    );
    return changes > 0;
  }

  /** Pending re-checks that came due and were not announced yet, oldest first. */
  dueForRecheck(at: string, limit: number, db: Queryable = this.db): Promise<RecheckDue[]> {
    return db.all<RecheckDue>(
      `SELECT d.id, d.org_path AS orgPath, d.camera_name AS cameraName, d.category, d.recheck_due_at AS recheckDueAt,
              d.recheck_unit_id AS recheckUnitId, u.path AS recheckUnitPath
       FROM dangers d JOIN org_units u ON u.id = d.recheck_unit_id
       WHERE d.recheck_status = 'pending' AND d.recheck_due_at <= ? AND d.recheck_notified_at IS NULL
       ORDER BY d.recheck_due_at LIMIT ?`,
      [at, limit],
    );
  }

  async markRecheckNotified(id: number, at: string, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE dangers SET recheck_notified_at = ? WHERE id = ? AND recheck_status = 'pending' AND recheck_notified_at IS NULL`, [at, id],
    );
    return changes > 0;
  }

  /** Dangers located under `path` (the caller resolved query.orgUnitId into it), filtered, newest first. */
  /** `recheckDue` narrows `query.recheck === 'due'` to one unit's re-checks due at that time (the caller's rule). */
  async list(
    path: string, query: Omit<DangerQuery, 'orgUnitId'>, recheckDue?: { unitId: number; at: string },
  ): Promise<{ items: DangerRecord[]; total: number }> {
    const where = ['d.org_path >= ?', 'd.org_path < ?'];
    const params: Params = [path, prefixUpperBound(path)];
    const filters: Array<[unknown, string]> = [
      [query.network, 'd.network = ?'], [query.category, 'd.category = ?'], [query.status, 'd.status = ?'], [query.origin, 'd.origin = ?'],
      [query.from, 'd.created_at >= ?'], [query.to, 'd.created_at < ?'],
    ];
    for (const [value, sql] of filters) {
      if (value === undefined) continue;
      where.push(sql);
      params.push(value as string);
    }
    if (query.recheck === 'pending') where.push(`d.recheck_status = 'pending'`);
    if (query.recheck === 'due') {
      where.push(`d.recheck_status = 'pending'`, 'd.recheck_due_at <= ?', 'd.recheck_unit_id = ?');
      params.push(recheckDue?.at ?? new Date(0).toISOString(), recheckDue?.unitId ?? -1);
    }
    const clause = where.join(' AND ');
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM dangers d WHERE ${clause}`, params))?.n ?? 0;
    const items = await this.db.all<DangerRecord>(`${SELECT} WHERE ${clause} ORDER BY d.id DESC LIMIT ? OFFSET ?`, [...params, query.limit ?? 50, query.offset ?? 0]);
    return { items, total };
  }

  async addHistory(h: NewHistory, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO danger_history (danger_id, task_id, at, action, from_status, to_status, actor_type, actor_id, actor_name, actor_unit_id, note)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [h.dangerId, h.taskId, h.at, h.action, h.fromStatus, h.toStatus, h.actorType, h.actorId, h.actorName, h.actorUnitId, h.note],
    );
  }

  /** History entries the viewer may see: the danger's own, and those of tasks sent inside `scopePath`. */
  history(dangerId: number, scopePath: string): Promise<HistoryEntry[]> {
    return this.db.all<HistoryEntry>(
      `SELECT h.id, h.at, h.task_id AS taskId, h.action, h.from_status AS fromStatus, h.to_status AS toStatus, h.actor_type AS actorType,
              h.actor_name AS actorName, u.name AS actorUnitName, h.note
       FROM danger_history h LEFT JOIN org_units u ON u.id = h.actor_unit_id LEFT JOIN tasks t ON t.id = h.task_id
       WHERE h.danger_id = ? AND (h.task_id IS NULL OR (t.to_path >= ? AND t.to_path < ?))
       ORDER BY h.id`,
      [dangerId, scopePath, prefixUpperBound(scopePath)],
    );
  }
}
