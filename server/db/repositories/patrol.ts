// 视频巡查 tables: plans, runs, marks, and the figures the statistics page reads from them. Rows only: scope is
// passed in as an org path (a unit's runs are seen by it and every unit above it), workflow rules stay in the
// service and server/domain/patrol-rules.ts.
import type { PatrolMark, PatrolMarkResult, PatrolPlan, PatrolRun, PatrolStatsRow } from '../../contracts/patrol';
import type { PatrolRunState } from '../../domain/patrol-rules';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export interface PlanWrite {
  name: string;
  orgUnitId: number;
  cameraIds: number[];
  shifts: string[];
  weekdays: number;
  dwellSec: number;
  windowMin: number;
  active: boolean;
}

export interface PlanRecord extends PatrolPlan {
  orgPath: string;
}

export interface RunRecord extends PatrolRun {
  orgPath: string;
  cameraIds: number[];
  operatorId: number | null;
  overdueAt: string | null;
}

export interface NewRun {
  planId: number;
  orgUnitId: number;
  cameraIds: number[];
  dwellSec: number;
  dueAt: string;
  deadline: string;
}

export interface NewMark {
  runId: number;
  cameraId: number;
  result: PatrolMarkResult;
  playedSec: number;
  frameSha256: string | null;
  dangerId: number | null;
  note: string;
  markedBy: number;
  markedByName: string;
  at: string;
}

type PlanRow = Omit<PlanRecord, 'cameraIds' | 'shifts' | 'active'> & { cameraIds: string; shifts: string; active: number };
type RunRow = Omit<RunRecord, 'cameraIds' | 'overdue' | 'cameraCount'> & { cameraIds: string };

const PLAN_SELECT = `
  SELECT p.id, p.name, p.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS orgPath, p.camera_ids AS cameraIds,
         p.shifts, p.weekdays, p.dwell_sec AS dwellSec, p.window_min AS windowMin, p.active, p.created_at AS createdAt,
         p.updated_at AS updatedAt
  FROM patrol_plans p JOIN org_units o ON o.id = p.org_unit_id`;

const RUN_SELECT = `
  SELECT r.id, r.plan_id AS planId, p.name AS planName, r.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS orgPath,
         r.state, r.due_at AS dueAt, r.deadline, r.dwell_sec AS dwellSec, r.camera_ids AS cameraIds,
         (SELECT count(*) FROM patrol_marks m WHERE m.run_id = r.id) AS marked,
         (SELECT count(*) FROM patrol_marks m WHERE m.run_id = r.id AND m.result <> 'normal') AS findings,
         r.operator_id AS operatorId, r.operator_name AS operator, r.started_at AS startedAt, r.completed_at AS completedAt,
         r.overdue_at AS overdueAt
  FROM patrol_runs r JOIN patrol_plans p ON p.id = r.plan_id JOIN org_units o ON o.id = r.org_unit_id`;

const toPlan = (row: PlanRow): PlanRecord => ({
  ...row, cameraIds: JSON.parse(row.cameraIds) as number[], shifts: JSON.parse(row.shifts) as string[], active: row.active === 1,
});

const toRun = (row: RunRow, now: Date): RunRecord => {
  const cameraIds = JSON.parse(row.cameraIds) as number[];
  const open = row.state !== 'completed';
  return { ...row, cameraIds, cameraCount: cameraIds.length, overdue: open && Date.parse(row.deadline) < now.getTime() };
};

const SCOPE = 'o.path >= :scope AND o.path < :upper';
const scopeParams = (scopePath: string) => ({ ':scope': scopePath, ':upper': prefixUpperBound(scopePath) });

export class PatrolRepository {
  constructor(private readonly db: Queryable) {}

  // ---- plans ---------------------------------------------------------------------------------------------------

  async insertPlan(plan: PlanWrite, createdBy: number, at: string, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO patrol_plans (name, org_unit_id, camera_ids, shifts, weekdays, dwell_sec, window_min, active, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [plan.name, plan.orgUnitId, JSON.stringify(plan.cameraIds), JSON.stringify(plan.shifts), plan.weekdays, plan.dwellSec,
        plan.windowMin, plan.active ? 1 : 0, createdBy, at, at],
    );
    return lastID;
  }

  async updatePlan(id: number, plan: PlanWrite, at: string, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE patrol_plans SET name = ?, org_unit_id = ?, camera_ids = ?, shifts = ?, weekdays = ?, dwell_sec = ?, window_min = ?,
              active = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL`,
      [plan.name, plan.orgUnitId, JSON.stringify(plan.cameraIds), JSON.stringify(plan.shifts), plan.weekdays, plan.dwellSec,
        plan.windowMin, plan.active ? 1 : 0, at, id],
    );
    return changes > 0;
  }

  /** Plans keep their rows for their runs' statistics; a deleted plan schedules nothing more. */
  async deletePlan(id: number, at: string, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(`UPDATE patrol_plans SET deleted_at = ?, active = 0 WHERE id = ? AND deleted_at IS NULL`, [at, id]);
    return changes > 0;
  }

  async planById(id: number, db: Queryable = this.db): Promise<PlanRecord | undefined> {
    const row = await db.get<PlanRow>(`${PLAN_SELECT} WHERE p.id = ? AND p.deleted_at IS NULL`, [id]);
    return row && toPlan(row);
  }

  async listPlans(scopePath: string): Promise<PlanRecord[]> {
    const rows = await this.db.all<PlanRow>(`${PLAN_SELECT} WHERE ${SCOPE} AND p.deleted_at IS NULL ORDER BY o.path, p.name, p.id`, scopeParams(scopePath));
    return rows.map(toPlan);
  }

  async activePlans(): Promise<PlanRecord[]> {
    const rows = await this.db.all<PlanRow>(`${PLAN_SELECT} WHERE p.active = 1 AND p.deleted_at IS NULL`);
    return rows.map(toPlan);
  }

  // ---- runs ----------------------------------------------------------------------------------------------------

  /** The run of a plan due at that instant; undefined when it exists already (scans may overlap after a restart). */
  async insertRun(run: NewRun, db: Queryable = this.db): Promise<number | undefined> {
    const { lastID, changes } = await db.run(
      `INSERT OR IGNORE INTO patrol_runs (plan_id, org_unit_id, camera_ids, dwell_sec, due_at, deadline) VALUES (?, ?, ?, ?, ?, ?)`,
      [run.planId, run.orgUnitId, JSON.stringify(run.cameraIds), run.dwellSec, run.dueAt, run.deadline],
    );
    return changes > 0 ? lastID : undefined;
  }

  /** The latest due time of any run of the plan: where the scheduler goes on from. */
  async lastDueAt(planId: number): Promise<string | undefined> {
    const row = await this.db.get<{ at: string | null }>(`SELECT max(due_at) AS at FROM patrol_runs WHERE plan_id = ?`, [planId]);
    return row?.at ?? undefined;
  }

  async runById(id: number, now: Date, db: Queryable = this.db): Promise<RunRecord | undefined> {
    const row = await db.get<RunRow>(`${RUN_SELECT} WHERE r.id = ?`, [id]);
    return row && toRun(row, now);
  }

  async listRuns(
    scopePath: string, query: { state?: PatrolRunState | 'open'; overdue?: boolean; limit: number; offset: number }, now: Date,
  ): Promise<{ items: RunRecord[]; total: number }> {
    const where = [SCOPE];
    // sqlite3 refuses a named parameter the statement does not use: add each with its condition.
    const params: Record<string, string | number> = scopeParams(scopePath);
    if (query.state === 'open') where.push(`r.state <> 'completed'`);
    else if (query.state) {
      where.push('r.state = :state');
      params[':state'] = query.state;
    }
    if (query.overdue !== undefined) {
      where.push(query.overdue ? `r.state <> 'completed' AND r.deadline < :now` : `(r.state = 'completed' OR r.deadline >= :now)`);
      params[':now'] = now.toISOString();
    }
    const clause = where.join(' AND ');
    const [rows, count] = await Promise.all([
      this.db.all<RunRow>(`${RUN_SELECT} WHERE ${clause} ORDER BY r.due_at DESC, r.id DESC LIMIT :limit OFFSET :offset`,
        { ...params, ':limit': query.limit, ':offset': query.offset }),
      this.db.get<{ n: number }>(`SELECT count(*) AS n FROM patrol_runs r JOIN org_units o ON o.id = r.org_unit_id WHERE ${clause}`, params),
    ]);
    return { items: rows.map((r) => toRun(r, now)), total: count?.n ?? 0 };
  }

  /** Moves a run from one state to another; false when it was no longer in `from` (someone else acted first). */
  async setRunState(
    id: number, from: PatrolRunState, to: PatrolRunState,
    change: { operatorId?: number; operatorName?: string; startedAt?: string; completedAt?: string },
    db: Queryable = this.db,
  ): Promise<boolean> {
    const { changes } = await db.run(
      `UPDATE patrol_runs SET state = :to,
              operator_id = coalesce(:operatorId, operator_id), operator_name = coalesce(:operatorName, operator_name),
              started_at = coalesce(started_at, :startedAt), completed_at = coalesce(:completedAt, completed_at)
       WHERE id = :id AND state = :from`,
      {
        ':to': to, ':from': from, ':id': id, ':operatorId': change.operatorId ?? null, ':operatorName': change.operatorName ?? null,
        ':startedAt': change.startedAt ?? null, ':completedAt': change.completedAt ?? null,
      },
    );
    return changes > 0;
  }

  /** Open runs past their deadline not yet flagged; flagged here, once (the overdue scanner). */
  async flagOverdue(now: Date, db: Queryable = this.db): Promise<number[]> {
    const rows = await db.all<{ id: number }>(
      `SELECT id FROM patrol_runs WHERE state <> 'completed' AND deadline < ? AND overdue_at IS NULL ORDER BY id LIMIT 500`,
      [now.toISOString()],
    );
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    await db.run(`UPDATE patrol_runs SET overdue_at = ? WHERE id IN (${ids.map(() => '?').join(',')})`, [now.toISOString(), ...ids]);
    return ids;
  }

  /** The run's cameras as the patrol page lists them, in patrol order; deleted cameras are left out. */
  async cameras(ids: readonly number[]): Promise<Array<{ id: number; name: string; network: string; orgUnitId: number; status: string }>> {
    if (ids.length === 0) return [];
    const rows = await this.db.all<{ id: number; name: string; network: string; orgUnitId: number; status: string }>(
      `SELECT id, name, network, org_unit_id AS orgUnitId, status FROM cameras WHERE id IN (${ids.map(() => '?').join(',')})`, [...ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Enabled accounts of these units with one of these roles: who may take a run over. */
  async colleagues(unitIds: readonly number[], roles: readonly string[]): Promise<Array<{ id: number; username: string; displayName: string; orgUnitName: string }>> {
    if (unitIds.length === 0 || roles.length === 0) return [];
    const marks = (n: number) => Array.from({ length: n }, () => '?').join(',');
    return this.db.all(
      `SELECT u.id, u.username, u.display_name AS displayName, o.name AS orgUnitName
       FROM users u JOIN org_units o ON o.id = u.org_unit_id
       WHERE u.org_unit_id IN (${marks(unitIds.length)}) AND u.role IN (${marks(roles.length)}) AND u.disabled = 0 AND u.deleted_at IS NULL
       ORDER BY o.path DESC, u.username`,
      [...unitIds, ...roles],
    );
  }

  // ---- marks ---------------------------------------------------------------------------------------------------

  /** A camera may be marked again while the run is in progress: the last mark counts. */
  async saveMark(mark: NewMark, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO patrol_marks (run_id, camera_id, result, played_sec, frame_sha256, danger_id, note, marked_by, marked_by_name, marked_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, camera_id) DO UPDATE SET result = excluded.result, played_sec = excluded.played_sec,
         frame_sha256 = excluded.frame_sha256, danger_id = excluded.danger_id, note = excluded.note, marked_by = excluded.marked_by,
         marked_by_name = excluded.marked_by_name, marked_at = excluded.marked_at`,
      [mark.runId, mark.cameraId, mark.result, mark.playedSec, mark.frameSha256, mark.dangerId, mark.note, mark.markedBy, mark.markedByName, mark.at],
    );
  }

  async marks(runId: number, db: Queryable = this.db): Promise<Array<PatrolMark & { frameSha256: string | null }>> {
    const rows = await db.all<Omit<PatrolMark, 'hasFrame'> & { frameSha256: string | null }>(
      `SELECT camera_id AS cameraId, result, played_sec AS playedSec, frame_sha256 AS frameSha256, danger_id AS dangerId, note,
              marked_by_name AS markedBy, marked_at AS markedAt
       FROM patrol_marks WHERE run_id = ? ORDER BY marked_at, camera_id`,
      [runId],
    );
    return rows.map((r) => ({ ...r, hasFrame: r.frameSha256 !== null }));
  }

  async frameOf(runId: number, cameraId: number): Promise<string | undefined> {
    const row = await this.db.get<{ sha: string | null }>(`SELECT frame_sha256 AS sha FROM patrol_marks WHERE run_id = ? AND camera_id = ?`, [runId, cameraId]);
    return row?.sha ?? undefined;
  }

  // ---- statistics ----------------------------------------------------------------------------------------------

  /**
   * Runs due in [from, to) in the scope, grouped by the unit that runs them or by the operator who ran them last
   * ('' for runs nobody started): every figure of a row counts the same runs, so coverage never passes 100 % and
   * the rows add up to the total.
   */
  async stats(group: 'unit' | 'operator', scopePath: string, from: string, to: string, now: Date): Promise<Array<Omit<PatrolStatsRow, 'coverage' | 'name'>>> {
    const key = group === 'unit' ? 'CAST(r.org_unit_id AS TEXT)' : "coalesce(r.operator_name, '')";
    return this.db.all(
      `SELECT ${key} AS key,
              count(*) AS due,
              sum(r.state = 'completed') AS completed,
              sum(r.completed_at IS NOT NULL AND r.completed_at <= r.deadline) AS onTime,
              sum(r.overdue_at IS NOT NULL OR (r.state <> 'completed' AND r.deadline < :now)) AS overdue,
              sum(json_array_length(r.camera_ids)) AS camerasAsked,
              sum((SELECT count(*) FROM patrol_marks m WHERE m.run_id = r.id)) AS camerasMarked,
              sum((SELECT count(*) FROM patrol_marks m WHERE m.run_id = r.id AND m.result <> 'normal')) AS findings,
              sum((SELECT count(*) FROM patrol_marks m WHERE m.run_id = r.id AND m.result = 'danger')) AS dangers
       FROM patrol_runs r JOIN org_units o ON o.id = r.org_unit_id
       WHERE ${SCOPE} AND r.due_at >= :from AND r.due_at < :to
       GROUP BY key ORDER BY key`,
      { ...scopeParams(scopePath), ':from': from, ':to': to, ':now': now.toISOString() },
    );
  }
}
