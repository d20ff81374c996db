// 视频巡查 use cases: plans, the scheduler that turns shifts into runs, running a patrol camera by camera, the overdue
// scanner, statistics. Framework-free: server/plugins/patrol.ts hands in the database, repositories and publisher
// and runs the two timers. Rules (transitions, schedule, overdue) come from server/domain/patrol-rules.ts.
//
// Who does what:
// - plans: any patrol maker (admin, county operator, township officer) for their unit or a unit inside it; every
//   camera must lie inside the plan's unit (a township patrols its own cameras);
// - runs: seen by the plan's unit and every unit above it; started by an officer of the plan's unit or above; after
//   that only the current operator pauses, resumes, marks and completes it, or hands it over to a colleague whose
//   area contains the plan's unit.
import type { Role } from '../contracts/api';
import type {
  PatrolActionBody, PatrolColleague, PatrolMarkBody, PatrolPlan, PatrolPlanBody, PatrolRun, PatrolRunDetail, PatrolRunQuery, PatrolStats, PatrolStatsQuery,
  PatrolStatsRow,
} from '../contracts/patrol';
import { atomically, type Publish, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { PlanRecord, PlanWrite, RunRecord } from '../db/repositories/patrol';
import { decodeJpeg, readJpeg, storeJpeg } from '../dispatch/evidence';
import {
  canMark, coverage, dueTimes, EVERY_DAY, missingMarks, nextPatrolState, PATROL_STATE_LABELS, type PatrolRunAction,
} from '../domain/patrol-rules';
import { inScope, pathIds } from '../domain/scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { visibleUnit } from '../org/visible-unit';
import { statsRange } from '../stats-range';

export interface PatrolCaller {
  id: number;
  username: string;
  role: Role;
  orgUnitId: number;
  scopePath: string;
}

/** Called for a camera marked 画面异常: the maintenance workflow opens a ticket for it (wired by the plugin). */
export type AbnormalCameraHook = (input: { cameraId: number; note: string; by: PatrolCaller; runId: number }) => Promise<void>;

export interface PatrolDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  dataDir: string;
  onAbnormal?: AbnormalCameraHook;
}

export const PATROL_ROLES: readonly Role[] = ['admin', 'county_operator', 'township_officer'];
/** After downtime the scheduler creates the runs missed in at most this window (they count as due, and overdue). */
const CATCH_UP_MS = 24 * 3600_000;

const publicPlan = ({ orgPath: _p, ...plan }: PlanRecord): PatrolPlan => plan;
const publicRun = ({ orgPath: _p, cameraIds: _c, operatorId: _o, overdueAt: _a, ...run }: RunRecord): PatrolRun => run;

export class PatrolService {
  constructor(private readonly deps: PatrolDeps, private readonly clock: () => Date = () => new Date()) {}

  private get repos() {
    return this.deps.repos;
  }

  private atomically<T>(work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
    return atomically(this.deps.db, this.deps.publisher, work);
  }

  // ---- plans ---------------------------------------------------------------------------------------------------

  async listPlans(caller: PatrolCaller): Promise<PatrolPlan[]> {
    return (await this.repos.patrol.listPlans(caller.scopePath)).map(publicPlan);
  }

  private async visiblePlan(caller: PatrolCaller, id: number, db?: Queryable): Promise<PlanRecord> {
    const plan = await this.repos.patrol.planById(id, db);
    if (!plan || !inScope(caller.scopePath, plan.orgPath)) throw new NotFoundError(`Patrol plan ${id}`);
    return plan;
  }

  /** The body as a plan row, after checking the unit and that every camera lies inside it (400 naming the camera). */
  private async checkedPlan(caller: PatrolCaller, body: PatrolPlanBody): Promise<{ plan: PlanWrite; unitPath: string }> {
    const unit = await visibleUnit(this.repos.orgUnits, caller.scopePath, body.orgUnitId);
    if (unit.level === 'compound') throw new BadRequestError('a patrol is run by a county, township or village unit, not a compound', 'orgUnitId');
    const paths = await this.repos.cameras.orgPaths(body.cameraIds);
    body.cameraIds.forEach((id, i) => {
      const path = paths.get(id);
      // Outside the caller's scope reads as absent, like everywhere else.
      if (!path || !inScope(caller.scopePath, path)) throw new BadRequestError(`camera ${id} does not exist`, `cameraIds/${i}`);
      if (!inScope(unit.path, path)) throw new BadRequestError(`camera ${id} is not inside ${unit.name}`, `cameraIds/${i}`);
    });
    return {
      unitPath: unit.path,
      plan: {
        name: body.name.trim(), orgUnitId: unit.id, cameraIds: body.cameraIds, shifts: [...body.shifts].sort(), weekdays: body.weekdays ?? EVERY_DAY,
        dwellSec: body.dwellSec ?? 20, windowMin: body.windowMin ?? 120, active: body.active ?? true,
      },
    };
  }

  async savePlan(caller: PatrolCaller, id: number | undefined, body: PatrolPlanBody, ip: string): Promise<PatrolPlan> {
    const { plan } = await this.checkedPlan(caller, body);
    if (!plan.name) throw new BadRequestError('name must not be blank', 'name');
    const planId = await this.atomically(async (tx) => {
      const at = this.clock().toISOString();
      let savedId = id;
      if (savedId === undefined) savedId = await this.repos.patrol.insertPlan(plan, caller.id, at, tx);
      else {
        await this.visiblePlan(caller, savedId, tx);
        await this.repos.patrol.updatePlan(savedId, plan, at, tx);
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'patrol.plan-save', targetType: 'patrol-plan', targetId: savedId,
        orgUnitId: plan.orgUnitId, detail: { name: plan.name, cameras: plan.cameraIds.length, shifts: plan.shifts, created: id === undefined }, ip,
      }, tx);
      return savedId;
    });
    return publicPlan((await this.repos.patrol.planById(planId))!);
  }

  async deletePlan(caller: PatrolCaller, id: number, ip: string): Promise<void> {
    await this.atomically(async (tx) => {
      const plan = await this.visiblePlan(caller, id, tx);
      await this.repos.patrol.deletePlan(id, this.clock().toISOString(), tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'patrol.plan-delete', targetType: 'patrol-plan', targetId: id,
        orgUnitId: plan.orgUnitId, detail: { name: plan.name }, ip,
      }, tx);
    });
  }

  // ---- scheduler and overdue scanner ----------------------------------------------------------------------------

  /**
   * Creates the runs whose shift came since the last scan (at most a day back after downtime), one per plan and
   * due time (the table's unique key makes overlapping scans harmless), and tells each plan's unit. Returns how
   * many runs were created.
   */
  async scheduleDue(now = this.clock()): Promise<number> {
    let created = 0;
    for (const plan of await this.repos.patrol.activePlans()) {
      const last = (await this.repos.patrol.lastDueAt(plan.id)) ?? plan.createdAt;
      const from = new Date(Math.max(Date.parse(last), now.getTime() - CATCH_UP_MS));
      const due = dueTimes({ shifts: plan.shifts, weekdays: plan.weekdays }, from, now);
      if (due.length === 0) continue;
      // Cameras deleted since the plan was made are left out of new runs.
      const existing = await this.repos.cameras.orgPaths(plan.cameraIds);
      const cameraIds = plan.cameraIds.filter((id) => existing.has(id));
      if (cameraIds.length === 0) continue;
      await this.atomically(async (tx, publish) => {
        for (const at of due) {
          const deadline = new Date(at.getTime() + plan.windowMin * 60_000).toISOString();
          const runId = await this.repos.patrol.insertRun({
            planId: plan.id, orgUnitId: plan.orgUnitId, cameraIds, dwellSec: plan.dwellSec, dueAt: at.toISOString(), deadline,
          }, tx);
          if (runId === undefined) continue;
          created++;
          await publish(plan.orgPath, 'patrol:due', {
            runId, planId: plan.id, planName: plan.name, orgUnitId: plan.orgUnitId, dueAt: at.toISOString(), deadline, cameraCount: cameraIds.length,
          });
        }
      });
    }
    return created;
  }

  /** Flags open runs past their deadline, once each, and tells the run's unit and every unit above it. */
  async scanOverdue(now = this.clock()): Promise<number> {
    return this.atomically(async (tx, publish) => {
      const ids = await this.repos.patrol.flagOverdue(now, tx);
      for (const id of ids) {
        const run = (await this.repos.patrol.runById(id, now, tx))!;
        await publish(run.orgPath, 'patrol:overdue', {
          runId: run.id, planId: run.planId, planName: run.planName, orgUnitId: run.orgUnitId, orgUnitName: run.orgUnitName,
          state: run.state, deadline: run.deadline,
        });
      }
      return ids.length;
    });
  }

  // ---- runs ----------------------------------------------------------------------------------------------------

  async listRuns(caller: PatrolCaller, query: PatrolRunQuery): Promise<{ items: PatrolRun[]; total: number }> {
    const page = await this.repos.patrol.listRuns(caller.scopePath, { ...query, limit: query.limit ?? 50, offset: query.offset ?? 0 }, this.clock());
    return { items: page.items.map(publicRun), total: page.total };
  }

  private async visibleRun(caller: PatrolCaller, id: number, db?: Queryable): Promise<RunRecord> {
    const run = await this.repos.patrol.runById(id, this.clock(), db);
    if (!run || !inScope(caller.scopePath, run.orgPath)) throw new NotFoundError(`Patrol run ${id}`);
    return run;
  }

  async runDetail(caller: PatrolCaller, id: number): Promise<PatrolRunDetail> {
    const run = await this.visibleRun(caller, id);
    const [cameras, marks] = await Promise.all([this.repos.patrol.cameras(run.cameraIds), this.repos.patrol.marks(id)]);
    return { run: publicRun(run), cameras, marks: marks.map(({ frameSha256: _f, ...m }) => m) };
  }

  /** The frame an operator saw when marking a camera of a run. */
  async markFrame(caller: PatrolCaller, runId: number, cameraId: number): Promise<Buffer> {
    await this.visibleRun(caller, runId);
    const sha = await this.repos.patrol.frameOf(runId, cameraId);
    const bytes = sha ? await readJpeg(this.deps.dataDir, sha) : undefined;
    if (!bytes) throw new NotFoundError(`Frame of camera ${cameraId} in patrol run ${runId}`);
    return bytes;
  }

  /** Only the current operator acts on a started run; 403 names who holds it. */
  private checkOperator(caller: PatrolCaller, run: RunRecord): void {
    if (run.operatorId !== caller.id) throw new ForbiddenError(`Patrol run ${run.id} is run by ${run.operator ?? 'nobody'}`);
  }

  async act(caller: PatrolCaller, id: number, action: PatrolRunAction, body: PatrolActionBody, ip: string): Promise<PatrolRun> {
    const runId = await this.atomically(async (tx, publish) => {
      const run = await this.visibleRun(caller, id, tx);
      const to = nextPatrolState(run.state, action);
      if (!to) throw new ConflictError(`A patrol run that is ${PATROL_STATE_LABELS[run.state]} (${run.state}) cannot ${action}`);
      const at = this.clock().toISOString();
      let operator: { id: number; name: string } | undefined;
      if (action === 'start') {
        // Anyone whose area contains the plan's unit may start it (the county may cover for a township).
        operator = { id: caller.id, name: caller.username };
      } else {
        this.checkOperator(caller, run);
        if (action === 'complete') {
          const marked = new Set((await this.repos.patrol.marks(id, tx)).map((m) => m.cameraId));
          const missing = missingMarks(run.cameraIds, marked);
          if (missing.length > 0) throw new ConflictError(`${missing.length} camera(s) of the run are not marked yet, e.g. camera ${missing[0]}`);
        }
        if (action === 'handover') operator = await this.handoverTarget(run, body.toUserId, caller, tx);
      }
      const changed = await this.repos.patrol.setRunState(id, run.state, to, {
        operatorId: operator?.id, operatorName: operator?.name, startedAt: action === 'start' ? at : undefined,
        completedAt: action === 'complete' ? at : undefined,
      }, tx);
      if (!changed) throw new ConflictError(`Patrol run ${id} changed meanwhile; reload it`);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: `patrol.${action}`, targetType: 'patrol-run', targetId: id,
        orgUnitId: run.orgUnitId, detail: { plan: run.planName, dueAt: run.dueAt, ...(operator && action === 'handover' ? { to: operator.name } : {}) }, ip,
      }, tx);
      await publish(run.orgPath, 'patrol:status', {
        runId: id, planId: run.planId, orgUnitId: run.orgUnitId, action, state: to, operator: operator?.name ?? run.operator,
        marked: run.marked, cameraCount: run.cameraCount, actor: caller.username, at,
      });
      return id;
    });
    return publicRun((await this.repos.patrol.runById(runId, this.clock()))!);
  }

  /** Who may take the run over: enabled patrol makers of the plan's unit or a unit above it, the caller left out. */
  async colleagues(caller: PatrolCaller, id: number): Promise<PatrolColleague[]> {
    const run = await this.visibleRun(caller, id);
    const list = await this.repos.patrol.colleagues(pathIds(run.orgPath), PATROL_ROLES);
    return list.filter((u) => u.id !== caller.id);
  }

  private async handoverTarget(run: RunRecord, toUserId: number | undefined, caller: PatrolCaller, tx: Queryable): Promise<{ id: number; name: string }> {
    if (toUserId === undefined) throw new BadRequestError('handover needs toUserId, the colleague who takes the run over', 'toUserId');
    if (toUserId === caller.id) throw new BadRequestError('you already run this patrol', 'toUserId');
    const user = await this.repos.users.managed(toUserId, tx);
    const usable = user && !user.disabled && !user.deletedAt && PATROL_ROLES.includes(user.role) && inScope(user.unitPath, run.orgPath);
    if (!usable) throw new BadRequestError(`user ${toUserId} cannot run patrols of ${run.orgUnitName}`, 'toUserId');
    return { id: user.id, name: user.username };
  }

  async mark(caller: PatrolCaller, id: number, body: PatrolMarkBody): Promise<PatrolRun> {
    const frame = body.frameJpeg ? decodeJpeg(body.frameJpeg, 'frameJpeg') : undefined;
    const { run, abnormal } = await this.atomically(async (tx, publish) => {
      const current = await this.visibleRun(caller, id, tx);
      if (!canMark(current.state)) throw new ConflictError(`Cameras are marked while the run is in progress; it is ${PATROL_STATE_LABELS[current.state]} (${current.state})`);
      this.checkOperator(caller, current);
      if (!current.cameraIds.includes(body.cameraId)) throw new BadRequestError(`camera ${body.cameraId} is not part of this patrol run`, 'cameraId');
      if (body.result === 'danger') await this.checkDanger(body, tx);
      else if (body.dangerId !== undefined) throw new BadRequestError('dangerId goes only with result "danger"', 'dangerId');
      const stored = frame ? storeJpeg(this.deps.dataDir, frame) : undefined;
      const at = this.clock().toISOString();
      await this.repos.patrol.saveMark({
        runId: id, cameraId: body.cameraId, result: body.result, playedSec: body.playedSec, frameSha256: stored?.sha256 ?? null,
        dangerId: body.dangerId ?? null, note: body.note?.trim() ?? '', markedBy: caller.id, markedByName: caller.username, at,
      }, tx);
      const after = (await this.repos.patrol.runById(id, this.clock(), tx))!;
      await publish(after.orgPath, 'patrol:status', {
        runId: id, planId: after.planId, orgUnitId: after.orgUnitId, action: 'mark', state: after.state, operator: after.operator,
        marked: after.marked, cameraCount: after.cameraCount, actor: caller.username, at,
      });
      return { run: after, abnormal: body.result === 'abnormal' };
    });
    // Outside the patrol's transaction: a ticket that cannot be opened must not undo the operator's mark.
    if (abnormal && this.deps.onAbnormal) {
      await this.deps.onAbnormal({ cameraId: body.cameraId, note: body.note?.trim() || '巡查发现画面异常', by: caller, runId: id });
    }
    return publicRun(run);
  }

  /** A "danger" mark names the danger the operator tagged on this very camera. */
  private async checkDanger(body: PatrolMarkBody, tx: Queryable): Promise<void> {
    if (body.dangerId === undefined) throw new BadRequestError('a "danger" mark needs dangerId, the danger tagged on this camera', 'dangerId');
    const danger = await this.repos.dangers.byId(body.dangerId, tx);
    if (!danger || danger.cameraId !== body.cameraId) throw new BadRequestError(`danger ${body.dangerId} was not tagged on camera ${body.cameraId}`, 'dangerId');
  }

  // ---- statistics ----------------------------------------------------------------------------------------------

  async stats(caller: PatrolCaller, query: PatrolStatsQuery): Promise<PatrolStats> {
    const now = this.clock();
    const { from: fromIso, to: toIso } = statsRange(query, now);
    const [byUnitRaw, byOperatorRaw] = await Promise.all([
      this.repos.patrol.stats('unit', caller.scopePath, fromIso, toIso, now),
      this.repos.patrol.stats('operator', caller.scopePath, fromIso, toIso, now),
    ]);
    const names = new Map((await this.repos.orgUnits.namePaths(byUnitRaw.map((r) => Number(r.key)))).map((u) => [String(u.id), u.path]));
    const finish = (row: Omit<PatrolStatsRow, 'coverage' | 'name'>, name: string): PatrolStatsRow => ({
      ...row, name, coverage: row.camerasAsked ? Math.round(coverage(row.camerasAsked, row.camerasMarked) * 10_000) / 10_000 : null,
    });
    const byUnit = byUnitRaw.map((r) => finish(r, names.get(r.key) ?? r.key));
    const byOperator = byOperatorRaw.map((r) => finish(r, r.key || '未开始'));
    const sum = (k: keyof Omit<PatrolStatsRow, 'key' | 'name' | 'coverage'>) => byUnitRaw.reduce((n, r) => n + (r[k] ?? 0), 0);
    const total = finish({
      key: 'total', due: sum('due'), completed: sum('completed'), onTime: sum('onTime'), overdue: sum('overdue'), camerasAsked: sum('camerasAsked'),
      camerasMarked: sum('camerasMarked'), findings: sum('findings'), dangers: sum('dangers'),
    }, '合计');
    return { from: fromIso, to: toIso, total, byUnit, byOperator };
  }
}
