// Tasks and their state columns. Which states count as open is the workflow's rule (server/dispatch/workflow.ts):
// the methods that need it take it as an argument, so this layer knows no workflow and no URLs.
import type { TaskQuery, TaskStatus, TaskSummary, TaskWithDanger } from '../../contracts/dispatch';
import { prefixUpperBound } from '../../domain/scope';
import type { Params, Queryable } from '../database';

/** A task as stored: the public fields bar those derived from rules and routes (server/dispatch/present.ts), plus
 * the paths that decide who sees and acts and the feedback photo's file. */
export interface TaskRecord extends Omit<TaskSummary, 'overdue' | 'feedbackPhotoUrl' | 'closureFrameUrl'> {
  fromPath: string;
  toPath: string;
  feedbackPhotoSha256: string | null;
  closureFrameSha256: string | null;
}

/** A task with its danger's headline (task lists). */
export type TaskHeadlineRecord = TaskRecord & Pick<TaskWithDanger, 'category' | 'severity' | 'cameraId' | 'cameraName' | 'address'>;

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export interface NewTask {
  dangerId: number;
  parentId: number | null;
  fromUnitId: number;
  fromPath: string;
  toUnitId: number;
  toPath: string;
  deadline: string;
  note: string;
  dispatchedBy: number;
  dispatchedByName: string;
  at: string;
}

const COLUMNS = `
  t.id, t.danger_id AS dangerId, t.parent_id AS parentId, t.status, t.from_unit_id AS fromUnitId, f.name AS fromUnitName,
  t.from_path AS fromPath, t.to_unit_id AS toUnitId, o.name AS toUnitName, t.to_path AS toPath, t.deadline,
  t.overdue_at AS overdueAt, t.note, t.dispatched_by_name AS dispatchedBy, t.dispatched_at AS dispatchedAt,
  t.accepted_at AS acceptedAt, t.resolved_at AS resolvedAt, t.closed_at AS closedAt, t.feedback,
  t.feedback_photo_sha256 AS feedbackPhotoSha256, t.return_reason AS returnReason,
  t.closure_frame_sha256 AS closureFrameSha256, t.closure_frame_at AS closureFrameAt, t.closure_frame_error AS closureFrameError`;
const FROM = `FROM tasks t JOIN org_units f ON f.id = t.from_unit_id JOIN org_units o ON o.id = t.to_unit_id`;

/** Columns a transition may set beside the status. */
export interface TaskChange {
  status: TaskStatus;
  at: string;
  acceptedAt?: string;
  resolvedAt?: string;
  closedAt?: string;
  returnedAt?: string;
  escalatedAt?: string;
  feedback?: string;
  feedbackPhotoSha256?: string | null;
  returnReason?: string;
  /** 复核: the frame grabbed at 反馈 (or, when none could be had, why); all three are written together. */
  closureFrame?: { sha256: string | null; at: string | null; error: string | null };
}

export class TaskRepository {
  constructor(private readonly db: Queryable) {}

  async insert(task: NewTask, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO tasks (danger_id, parent_id, from_unit_id, from_path, to_unit_id, to_path, status, deadline, note,
                          dispatched_by, dispatched_by_name, dispatched_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'dispatched', ?, ?, ?, ?, ?, ?)`,
      [task.dangerId, task.parentId, task.fromUnitId, task.fromPath, task.toUnitId, task.toPath, task.deadline, task.note,
        task.dispatchedBy, task.dispatchedByName, task.at, task.at],
    );
    return lastID;
  }

  async byId(id: number, db: Queryable = this.db): Promise<TaskRecord | undefined> {
    return db.get<TaskRecord>(`SELECT ${COLUMNS} ${FROM} WHERE t.id = ?`, [id]);
  }

  async children(parentId: number, db: Queryable = this.db): Promise<TaskRecord[]> {
    return db.all<TaskRecord>(`SELECT ${COLUMNS} ${FROM} WHERE t.parent_id = ? ORDER BY t.id`, [parentId]);
  }

  async byDanger(dangerId: number, scopePath: string, db: Queryable = this.db): Promise<TaskRecord[]> {
    return db.all<TaskRecord>(`SELECT ${COLUMNS} ${FROM} WHERE t.danger_id = ? AND t.to_path >= ? AND t.to_path < ? ORDER BY t.id`, [
      dangerId, scopePath, prefixUpperBound(scopePath),
    ]);
  }

  /** Applies a planned change; `from` guards against a concurrent change (the caller holds a transaction anyway). */
  async update(id: number, from: TaskStatus, change: TaskChange, db: Queryable = this.db): Promise<void> {
    const columns: Record<string, string | null | undefined> = {
      status: change.status,
      accepted_at: change.acceptedAt,
      resolved_at: change.resolvedAt,
      closed_at: change.closedAt,
      returned_at: change.returnedAt,
      escalated_at: change.escalatedAt,
      feedback: change.feedback,
      feedback_photo_sha256: change.feedbackPhotoSha256,
      return_reason: change.returnReason,
      closure_frame_sha256: change.closureFrame ? change.closureFrame.sha256 : undefined,
      closure_frame_at: change.closureFrame ? change.closureFrame.at : undefined,
      closure_frame_error: change.closureFrame ? change.closureFrame.error : undefined,
    };
    const set = Object.entries(columns).filter(([, v]) => v !== undefined) as Array<[string, string | null]>;
    const { changes } = await db.run(
      `UPDATE tasks SET ${set.map(([k]) => `${k} = ?`).join(', ')}, updated_at = ? WHERE id = ? AND status = ?`,
      [...set.map(([, v]) => v), change.at, id, from],
    );
    if (changes !== 1) throw new Error(`task ${id} was not ${from} any more`);
  }

  /** Tasks in one of `openStates` whose deadline passed and that are not marked yet, oldest deadline first. */
  dueForOverdue(now: string, limit: number, openStates: readonly TaskStatus[], db: Queryable = this.db): Promise<TaskRecord[]> {
    return db.all<TaskRecord>(
      `SELECT ${COLUMNS} ${FROM}
       WHERE t.overdue_at IS NULL AND t.status IN (${marks(openStates.length)}) AND t.deadline < ?
       ORDER BY t.deadline LIMIT ?`,
      [...openStates, now, limit],
    );
  }

  /** Marks the task overdue if it still is: open, past its deadline, not marked (it may have moved since the scan read it). */
  async markOverdue(id: number, at: string, openStates: readonly TaskStatus[], db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE tasks SET overdue_at = ?, updated_at = ?
       WHERE id = ? AND overdue_at IS NULL AND deadline < ? AND status IN (${marks(openStates.length)})`,
      [at, at, id, at, ...openStates],
    );
    return changes === 1;
  }

  /** Tasks visible at `scopePath` (sent to a unit inside it), with their danger's headline. `query.overdue` means
   * marked overdue and still in one of `openStates`. */
  async list(
    scopePath: string, unitId: number, query: TaskQuery, openStates: readonly TaskStatus[],
  ): Promise<{ items: TaskHeadlineRecord[]; total: number }> {
    const where = ['t.to_path >= ?', 't.to_path < ?'];
    const params: Params = [scopePath, prefixUpperBound(scopePath)];
    const box = query.box ?? 'all';
    if (box === 'inbox') {
      where.push('t.to_unit_id = ?');
      params.push(unitId);
    } else if (box === 'outbox') {
      where.push('t.from_unit_id = ?');
      params.push(unitId);
    }
    if (query.status) {
      where.push('t.status = ?');
      params.push(query.status);
    }
    if (query.overdue !== undefined) {
      where.push(query.overdue
        ? `t.overdue_at IS NOT NULL AND t.status IN (${marks(openStates.length)})`
        : `NOT (t.overdue_at IS NOT NULL AND t.status IN (${marks(openStates.length)}))`);
      params.push(...openStates);
    }
    const clause = where.join(' AND ');
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM tasks t WHERE ${clause}`, params))?.n ?? 0;
    const items = await this.db.all<TaskHeadlineRecord>(
      `SELECT ${COLUMNS}, d.category, d.severity, d.camera_id AS cameraId, d.camera_name AS cameraName, d.address
       ${FROM} JOIN dangers d ON d.id = t.danger_id
       WHERE ${clause} ORDER BY t.id DESC LIMIT ? OFFSET ?`,
      [...params, query.limit ?? 50, query.offset ?? 0],
    );
    return { items, total };
  }
}
