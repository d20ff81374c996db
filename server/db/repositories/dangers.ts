import type { Danger, DangerQuery, DangerStatus, HistoryEntry, Severity } from '../../contracts/dispatch';
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
}

const SELECT = `
  SELECT d.id, d.camera_id AS cameraId, d.camera_name AS cameraName, d.network, d.org_unit_id AS orgUnitId, u.name AS orgUnitName,
         d.org_path AS orgPath, d.lat, d.lng, d.address, d.captured_at AS capturedAt, d.category, d.severity, d.note, d.status,
         d.evidence_sha256 AS evidenceSha256, d.created_by_name AS createdBy, d.created_at AS createdAt,
         d.owner_unit_id AS ownerUnitId, d.owner_path AS ownerPath, w.name AS ownerUnitName, d.current_task_id AS currentTaskId
  FROM dangers d JOIN org_units u ON u.id = d.org_unit_id JOIN org_units w ON w.id = d.owner_unit_id`;

export class DangerRepository {
  constructor(private readonly db: Queryable) {}

  async insert(d: NewDanger, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO dangers (camera_id, camera_name, network, org_unit_id, org_path, lat, lng, address, captured_at, category, severity,
                            note, evidence_sha256, evidence_bytes, owner_unit_id, owner_path, created_by, created_by_name, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.cameraId, d.cameraName, d.network, d.orgUnitId, d.orgPath, d.lat, d.lng, d.address, d.capturedAt, d.category, d.severity,
        d.note, d.evidenceSha256, d.evidenceBytes, d.ownerUnitId, d.ownerPath, d.createdBy, d.createdByName, d.at, d.at],
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
              closed_at = coalesce(?, closed_at)
       WHERE id = ?`,
      [change.status, change.at, change.currentTaskId ?? null, change.dispatchedAt ?? null, change.acceptedAt ?? null, change.closedAt ?? null, id],
    );
  }

  /** Dangers located under `path` (the caller resolved query.orgUnitId into it), filtered, newest first. */
  async list(path: string, query: Omit<DangerQuery, 'orgUnitId'>): Promise<{ items: DangerRecord[]; total: number }> {
    const where = ['d.org_path >= ?', 'd.org_path < ?'];
    const params: Params = [path, prefixUpperBound(path)];
    const filters: Array<[unknown, string]> = [
      [query.network, 'd.network = ?'], [query.category, 'd.category = ?'], [query.status, 'd.status = ?'],
      [query.from, 'd.created_at >= ?'], [query.to, 'd.created_at < ?'],
    ];
    for (const [value, sql] of filters) {
      if (value === undefined) continue;
      where.push(sql);
      params.push(value as string);
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
