// The dispatch use cases: tag a danger, dispatch it, act on a task, mark overdue tasks, push cameras to a wall.
// Framework-free: the plugin (server/plugins/dispatch.ts) hands in the database, repositories and the event
// publisher. Each use case checks scope and permission, asks the pure workflow for the state changes, and writes
// the changes, their history, the audit row and the event log entry in one transaction; socket.io pushes happen
// only after the commit, so no client hears about a change that was rolled back.
import type {
  Danger, DangerCreate, DangerDetail, DangerQuery, DispatchBody, LayoutPush, LayoutPushCreate, RecheckBody, Severity, TaskAction, TaskPage,
  TaskQuery, TaskSummary, TaskWithDanger, Taxonomy,
} from '../contracts/dispatch';
import { atomically, type Publish, type Publisher } from '../db/atomically';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { DangerRecord } from '../db/repositories/dangers';
import { publicPush } from '../db/repositories/layout-pushes';
import type { TaskChange, TaskRecord } from '../db/repositories/tasks';
import { canRecheck, recheckDueAt, recheckStage, recheckTransition, REOPENED_STATUS } from '../domain/closure-rules';
import { inScope } from '../domain/scope';
import { ACTION_LABELS, dangerStatusOf, OPEN_STATES } from '../domain/task-workflow';
import { visibleUnit } from '../org/visible-unit';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { decodeJpeg, storeJpeg, type StoredImage } from './evidence';
import {
  authorizeDangerDispatch, authorizeSend, authorizeTaskAction, canSeeTask, checkTerritory, type Actor, type UnitRef,
} from './permissions';
import { defaultDeadline } from './taxonomy';
import { isOverdue, presentClip, publicDanger, taskSummary, taskWithDanger } from './present';
import { checkDispatchable, plan, type StateChange, type TaskNode } from './workflow';

export interface DispatchDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  dataDir: string;
  taxonomy: Taxonomy;
  /** 复核: a frame of the camera now (server/media/snapshot.ts; never starts a relay). Absent: every 反馈 records
   * that no frame could be had. Rejects with an Error whose `reason` (or message) says why. */
  grabFrame?: (cameraId: number) => Promise<{ jpeg: Buffer; takenAt: number }>;
  /** Evidence clips (server/recordings/evidence-clips.ts): keeps the tag's past from the rewind ring and records
   * its post-roll; absent, a tag has no clip. */
  clips?: { begin(cameraId: number, atMs: number): Promise<{ fromMs: number; toMs: number }> };
}

/** The closure frame of one 反馈: the stored frame and when it was taken, or why there is none. */
interface ClosureFrame {
  sha256: string | null;
  at: string | null;
  error: string | null;
}

/** How long 反馈 waits for a closure frame before recording that none could be had (the snapshot path has its own
 * 5 s bounds; this caps the whole, queue included, so a busy grabber cannot hold an officer's report). */
const FRAME_WAIT_MS = 8_000;

/** Input of a task action besides its name; which fields apply depends on the action (the routes' schemas). */
export interface ActionInput {
  note?: string;
  reason?: string;
  feedback?: string;
  photoJpeg?: string;
  toUnitId?: number;
  deadline?: string;
}

const MAX_DEADLINE_MS = 90 * 24 * 3600_000;
/** Clock skew tolerated between a browser's capture time and the server. */
const CAPTURE_SKEW_MS = 5 * 60_000;

export class DispatchService {
  constructor(private readonly deps: DispatchDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  private atomically<T>(work: (tx: Queryable, publish: Publish) => Promise<T>): Promise<T> {
    return atomically(this.deps.db, this.deps.publisher, work);
  }

  private async unit(id: number, db?: Queryable): Promise<UnitRef | undefined> {
    const row = await this.repos.orgUnits.byId(id, db);
    return row && { id: row.id, name: row.name, level: row.level, path: row.path, parentId: row.parent_id };
  }

  async actor(user: { id: number; username: string; orgUnitId: number }): Promise<Actor> {
    const unit = await this.unit(user.orgUnitId);
    if (!unit) throw new ForbiddenError('Your org unit no longer exists');
    return { userId: user.id, username: user.username, unit };
  }

  private checkDeadline(deadline: string, now: Date, notAfter?: string): void {
    const at = Date.parse(deadline);
    if (at <= now.getTime()) throw new BadRequestError('deadline must be in the future', 'deadline');
    if (at > now.getTime() + MAX_DEADLINE_MS) throw new BadRequestError('deadline must be within 90 days', 'deadline');
    if (notAfter && at > Date.parse(notAfter)) throw new BadRequestError(`deadline must not be later than the task’s own deadline ${notAfter}`, 'deadline');
  }

  // ---- hidden dangers -------------------------------------------------------------------------------------------

  async createDanger(actor: Actor, body: DangerCreate, ip: string): Promise<number> {
    const camera = await this.repos.cameras.byId(body.cameraId);
    if (!camera || !inScope(actor.unit.path, camera.orgPath)) throw new NotFoundError(`Camera ${body.cameraId}`, 'cameraId');
    if (!this.deps.taxonomy.categories.some((c) => c.key === body.category)) {
      throw new BadRequestError(`category must be one of: ${this.deps.taxonomy.categories.map((c) => c.key).join(', ')}`, 'category');
    }
    if (Date.parse(body.capturedAt) > Date.now() + CAPTURE_SKEW_MS) throw new BadRequestError('capturedAt is in the future', 'capturedAt');
    const image = storeJpeg(this.deps.dataDir, decodeJpeg(body.evidenceJpeg, 'evidenceJpeg'));
    const at = new Date().toISOString();
    const capturedAt = new Date(body.capturedAt).toISOString();
    // The clip's past is kept and its post-roll recorded from now on, before the row exists: a tag rolled back
    // leaves only a little more recording, never a clip missing its post-roll.
    const clip = body.clip === false || !this.deps.clips ? null : await this.deps.clips.begin(camera.id, Date.parse(capturedAt)).catch(() => null);

    return this.atomically(async (tx, publish) => {
      const id = await this.repos.dangers.insert({
        cameraId: camera.id, cameraName: camera.name, network: camera.network, orgUnitId: camera.orgUnitId, orgPath: camera.orgPath,
        lat: camera.lat, lng: camera.lng, address: camera.address, capturedAt, category: body.category, severity: body.severity,
        note: body.note ?? '', evidenceSha256: image.sha256, evidenceBytes: image.bytes, ownerUnitId: actor.unit.id,
        ownerPath: actor.unit.path, createdBy: actor.userId, createdByName: actor.username, at,
      }, tx);
      if (clip) {
        // Locked like any evidence range: retention and the disk quota skip it.
        const lock = await this.repos.recordings.addLock({ cameraId: camera.id, startMs: clip.fromMs, endMs: clip.toMs, reason: `danger #${id}`, createdBy: actor.userId }, tx);
        await this.repos.recordings.insertClip({ dangerId: id, cameraId: camera.id, startMs: clip.fromMs, endMs: clip.toMs, lockId: lock.id }, tx);
      }
      await this.repos.dangers.addHistory({
        dangerId: id, taskId: null, at, action: 'created', fromStatus: null, toStatus: 'reported', actorType: 'user',
        actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id, note: body.note ?? '',
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: 'danger.create', targetType: 'danger', targetId: id,
        orgUnitId: camera.orgUnitId, detail: {
          cameraId: camera.id, category: body.category, severity: body.severity, evidence: image.sha256,
          ...(clip ? { clip: { from: new Date(clip.fromMs).toISOString(), to: new Date(clip.toMs).toISOString() } } : {}),
        }, ip,
      }, tx);
      await publish(camera.orgPath, 'danger:created', {
        dangerId: id, cameraId: camera.id, cameraName: camera.name, orgUnitId: camera.orgUnitId, category: body.category,
        severity: body.severity, capturedAt, createdBy: actor.username,
      });
      return id;
    });
  }

  /** 派单: sends a reported (or returned / escalated) danger to a direct subordinate unit. Returns the new task. */
  async dispatchDanger(actor: Actor, dangerId: number, body: DispatchBody, ip: string): Promise<TaskSummary> {
    const now = new Date();
    return this.atomically(async (tx, publish) => {
      const danger = await this.visibleDanger(actor.unit.path, dangerId, tx);
      const target = authorizeSend(actor.unit, await this.unit(body.toUnitId, tx), body.toUnitId);
      authorizeDangerDispatch(actor, danger.ownerPath, danger.ownerUnitName);
      checkDispatchable(danger.status);
      checkTerritory(target, danger.orgPath, danger.orgUnitName);
      const deadline = body.deadline ? new Date(body.deadline).toISOString() : defaultDeadline(this.deps.taxonomy, danger.severity, now).toISOString();
      this.checkDeadline(deadline, now);
      const task = await this.createTask(tx, publish, actor, danger, null, target, deadline, body.note ?? '', now.toISOString(), ip);
      await this.repos.dangers.update(danger.id, { status: 'dispatched', at: task.dispatchedAt, currentTaskId: task.id, dispatchedAt: task.dispatchedAt }, tx);
      return taskSummary(task);
    });
  }

  private async createTask(
    tx: Queryable, publish: Publish, actor: Actor, danger: DangerRecord, parent: TaskRecord | null, target: UnitRef,
    deadline: string, note: string, at: string, ip: string,
  ): Promise<TaskRecord> {
    const id = await this.repos.tasks.insert({
      dangerId: danger.id, parentId: parent?.id ?? null, fromUnitId: actor.unit.id, fromPath: actor.unit.path, toUnitId: target.id,
      toPath: target.path, deadline, note, dispatchedBy: actor.userId, dispatchedByName: actor.username, at,
    }, tx);
    await this.repos.dangers.addHistory({
      dangerId: danger.id, taskId: id, at, action: parent ? 'redispatch' : 'dispatch', fromStatus: null, toStatus: 'dispatched',
      actorType: 'user', actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id, note: `→ ${target.name}${note ? `: ${note}` : ''}`,
    }, tx);
    await this.repos.audit.record({
      actorType: 'user', actorId: actor.userId, actorName: actor.username, action: parent ? 'dispatch.redispatch' : 'dispatch.dispatch',
      targetType: 'task', targetId: id, orgUnitId: target.id, detail: { dangerId: danger.id, parentTaskId: parent?.id ?? null, toUnitId: target.id, deadline }, ip,
    }, tx);
    await publish(target.path, 'task:received', {
      taskId: id, dangerId: danger.id, parentTaskId: parent?.id ?? null, fromUnitId: actor.unit.id, fromUnitName: actor.unit.name,
      toUnitId: target.id, toUnitName: target.name, category: danger.category, severity: danger.severity as Severity, deadline, note, sentBy: actor.username,
    });
    return (await this.repos.tasks.byId(id, tx))!;
  }

  /** A danger inside `scopePath`, else a 404 that says nothing about whether it exists. */
  async visibleDanger(scopePath: string, id: number, db?: Queryable): Promise<DangerRecord> {
    const danger = await this.repos.dangers.byId(id, db);
    if (!danger || !inScope(scopePath, danger.orgPath)) throw new NotFoundError(`Danger ${id}`);
    return danger;
  }

  /** A danger with the tasks the viewer may see and its history. */
  async dangerDetail(scopePath: string, id: number): Promise<DangerDetail> {
    const record = await this.visibleDanger(scopePath, id);
    const tasks = (await this.repos.tasks.byDanger(id, scopePath)).map(taskSummary);
    return {
      danger: publicDanger(record, tasks.find((t) => t.id === record.currentTaskId) ?? null),
      tasks,
      history: await this.repos.dangers.history(id, scopePath),
      clip: presentClip(await this.repos.recordings.clipOf(id)),
    };
  }

  /** Dangers located in the user's scope, or in one unit of it (404 for a unit outside it). `recheck=due` lists the
   * re-checks due for unit `recheckFor` (the caller's own). */
  async listDangers(scopePath: string, query: DangerQuery, recheckFor?: number): Promise<{ items: Danger[]; total: number }> {
    const path = query.orgUnitId === undefined ? scopePath : (await visibleUnit(this.repos.orgUnits, scopePath, query.orgUnitId)).path;
    const { items, total } = await this.repos.dangers.list(path, query, recheckFor === undefined ? undefined : { unitId: recheckFor, at: new Date().toISOString() });
    // Each with its current top-level task, as whoever sees the danger sees it (task summaries hide no paths).
    const withTasks = await Promise.all(items.map(async (record) => {
      const task = record.currentTaskId ? await this.repos.tasks.byId(record.currentTaskId) : undefined;
      return publicDanger(record, task ? taskSummary(task) : null);
    }));
    return { items: withTasks, total };
  }


  // ---- tasks ------------------------------------------------------------------------------------------------------

  async listTasks(user: { scopePath: string; orgUnitId: number }, query: TaskQuery): Promise<TaskPage> {
    const { items, total } = await this.repos.tasks.list(user.scopePath, user.orgUnitId, query, OPEN_STATES);
    return { items: items.map(taskWithDanger), total };
  }

  /** A task the viewer may see, with its danger's headline. */
  async taskDetail(scopePath: string, id: number): Promise<TaskWithDanger> {
    const task = await this.visibleTask(scopePath, id);
    const danger = (await this.repos.dangers.byId(task.dangerId))!;
    const { category, severity, cameraId, cameraName, address } = danger;
    return taskWithDanger({ ...task, category, severity: severity as Severity, cameraId, cameraName, address });
  }

  /** A task the actor may see, or 404 as if it did not exist. */
  async visibleTask(scopePath: string, id: number, db?: Queryable): Promise<TaskRecord> {
    const task = await this.repos.tasks.byId(id, db);
    if (!task || !canSeeTask(scopePath, task)) throw new NotFoundError(`Task ${id}`);
    return task;
  }

  /**
   * Takes `action` on a task. Returns the task acted on, after the change; for `redispatch`, the new child task.
   */
  async act(actor: Actor, taskId: number, action: TaskAction, input: ActionInput, ip: string): Promise<TaskSummary> {
    // Decode (and store) a feedback photo before the transaction: file I/O does not belong inside the write lock.
    const photo = input.photoJpeg ? storeJpeg(this.deps.dataDir, decodeJpeg(input.photoJpeg, 'photoJpeg')) : undefined;
    // 复核: a frame of the same camera, grabbed as the officer reports it handled; also before the transaction. The
    // checks run first (scope, side, state), so nobody can make the server look at a camera by a refused 反馈.
    let frame: ClosureFrame | undefined;
    if (action === 'resolve') {
      const task = await this.visibleTask(actor.unit.path, taskId);
      authorizeTaskAction(actor, action, task);
      plan({ ...task, overdue: false }, action, { children: [] });
      frame = await this.closureFrame((await this.repos.dangers.byId(task.dangerId))!.cameraId);
    }
    const now = new Date();
    const at = now.toISOString();

    return this.atomically(async (tx, publish) => {
      const task = await this.visibleTask(actor.unit.path, taskId, tx);
      authorizeTaskAction(actor, action, task);
      const danger = (await this.repos.dangers.byId(task.dangerId, tx))!;
      const parent = task.parentId ? await this.repos.tasks.byId(task.parentId, tx) : undefined;
      const children = await this.repos.tasks.children(task.id, tx);

      let target: UnitRef | undefined;
      let deadline: string | undefined;
      if (action === 'redispatch') {
        target = authorizeSend(actor.unit, await this.unit(input.toUnitId!, tx), input.toUnitId!);
        checkTerritory(target, danger.orgPath, danger.orgUnitName);
        deadline = input.deadline ? new Date(input.deadline).toISOString() : task.deadline;
        this.checkDeadline(deadline, now, task.deadline);
      }

      const node = (t: TaskRecord): TaskNode => ({ ...t, overdue: isOverdue(t) });
      const changes = plan(node(task), action, { parent: parent && node(parent), children: children.map(node) });
      const byId = new Map<number, TaskRecord>([[task.id, task], ...children.map((c) => [c.id, c] as const)]);
      if (parent) byId.set(parent.id, parent);
      const note = input.note ?? input.reason ?? input.feedback ?? '';

      for (const change of changes) {
        const subject = byId.get(change.taskId)!;
        const own = change.taskId === task.id;
        await this.repos.tasks.update(change.taskId, change.from, this.columns(change, own, at, input, photo?.sha256, task, frame), tx);
        await this.repos.dangers.addHistory({
          dangerId: danger.id, taskId: change.taskId, at, action: change.action, fromStatus: change.from, toStatus: change.to,
          actorType: 'user', actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id,
          note: own ? note : `${ACTION_LABELS[action]} #${task.id} (${task.toUnitName})`,
        }, tx);
        if (change.taskId === danger.currentTaskId) {
          // 复查: closing the top-level task of a category with a re-check period schedules the re-check by the unit
          // that closed it; until then the danger is closed but not closed for good.
          const days = this.deps.taxonomy.categories.find((c) => c.key === danger.category)?.recheckDays;
          const dueAt = change.to === 'closed' ? recheckDueAt(days, now) : null;
          await this.repos.dangers.update(danger.id, {
            status: dangerStatusOf(change.to), at,
            acceptedAt: change.to === 'accepted' && change.action === 'accept' ? at : undefined,
            closedAt: change.to === 'closed' ? at : undefined,
            recheck: dueAt ? { dueAt, unitId: subject.fromUnitId } : undefined,
          }, tx);
          if (dueAt) {
            await this.repos.dangers.addHistory({
              dangerId: danger.id, taskId: null, at, action: 'recheck-scheduled', fromStatus: 'closed', toStatus: 'closed', actorType: 'system',
              actorId: null, actorName: null, actorUnitId: subject.fromUnitId, note: `复查 re-check due ${dueAt}`,
            }, tx);
          }
        }
        const dangerStatus = change.taskId === danger.currentTaskId ? dangerStatusOf(change.to) : (await this.repos.dangers.byId(danger.id, tx))!.status;
        await publish(subject.toPath, 'task:status', {
          taskId: change.taskId, dangerId: danger.id, fromUnitId: subject.fromUnitId, toUnitId: subject.toUnitId, action: change.action,
          status: change.to, dangerStatus, actor: actor.username, at, note: own ? note : '',
        });
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: `dispatch.${action}`, targetType: 'task',
        targetId: task.id, orgUnitId: task.toUnitId,
        detail: {
          dangerId: danger.id, changes: changes.map((c) => `#${c.taskId} ${c.from}→${c.to}`), note: note.slice(0, 200),
          // 复核: which frame was kept at 反馈, or why none.
          ...(frame ? { closureFrame: frame.sha256, closureFrameError: frame.error } : {}),
        }, ip,
      }, tx);

      if (action === 'redispatch') {
        const child = await this.createTask(tx, publish, actor, danger, task, target!, deadline!, input.note ?? '', at, ip);
        return taskSummary(child);
      }
      return taskSummary((await this.repos.tasks.byId(task.id, tx))!);
    });
  }

  /** Columns written with a state change: milestones, feedback (copied up from the child that answered), reasons. */
  private columns(
    change: StateChange, own: boolean, at: string, input: ActionInput, photo: string | undefined, acted: TaskRecord, frame?: ClosureFrame,
  ): TaskChange {
    const c: TaskChange = { status: change.to, at };
    if (change.to === 'accepted' && change.action === 'accept') c.acceptedAt = at;
    if (change.to === 'resolved') {
      c.resolvedAt = at;
      c.feedback = own ? input.feedback : `${acted.toUnitName}: ${input.feedback ?? ''}`;
      c.feedbackPhotoSha256 = own ? (photo ?? null) : (photo ?? acted.feedbackPhotoSha256);
      // The frame of the 反馈 goes up with the feedback: the county verifies the village's work by the same picture.
      if (frame) c.closureFrame = frame;
    }
    if (change.to === 'closed') c.closedAt = at;
    if (change.to === 'returned') {
      c.returnedAt = at;
      c.returnReason = input.reason;
    }
    if (change.to === 'escalated') c.escalatedAt = at;
    if (own && change.action === 'reject') c.returnReason = input.reason;
    return c;
  }

  /** A frame of the camera now, stored as evidence; or, when none can be had, the reason (the report goes on). */
  private async closureFrame(cameraId: number): Promise<ClosureFrame> {
    if (!this.deps.grabFrame) return { sha256: null, at: null, error: 'no snapshot service' };
    let timer: NodeJS.Timeout | undefined;
    try {
      const shot = await Promise.race([
        this.deps.grabFrame(cameraId),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { reason: 'timeout' })), FRAME_WAIT_MS))),
      ]);
      const image: StoredImage = storeJpeg(this.deps.dataDir, decodeJpeg(shot.jpeg.toString('base64'), 'closureFrame'));
      return { sha256: image.sha256, at: new Date(shot.takenAt).toISOString(), error: null };
    } catch (err) {
      // SnapshotError reasons are safe to show (never a URL or a credential); anything else is named, not quoted.
      const reason = (err as { reason?: unknown }).reason;
      return { sha256: null, at: null, error: typeof reason === 'string' ? reason.slice(0, 100) : 'snapshot failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  // ---- 复查 re-checks ------------------------------------------------------------------------------------------------

  /** 复查 verdict by the unit that closed the danger, once it is due: pass → closed for good; fail → reopened. */
  async recheck(actor: Actor, dangerId: number, body: RecheckBody, ip: string): Promise<Danger> {
    const note = body.note?.trim() ?? '';
    if (body.verdict === 'fail' && !note) throw new BadRequestError('note is required when a re-check fails: say what is still wrong', 'note');
    const now = new Date();
    const at = now.toISOString();
    return this.atomically(async (tx, publish) => {
      const danger = await this.visibleDanger(actor.unit.path, dangerId, tx);
      const stage = recheckStage(danger, now.getTime());
      const to = recheckTransition(danger.recheckStatus, body.verdict);
      if (!to || danger.status !== 'closed') throw new ConflictError(`Danger ${dangerId} has no pending re-check (复查); it is ${danger.status}, re-check ${danger.recheckStatus ?? 'none'}`);
      if (danger.recheckUnitId !== actor.unit.id) {
        const unit = danger.recheckUnitId ? await this.unit(danger.recheckUnitId, tx) : undefined;
        throw new ForbiddenError(`Only ${unit?.name ?? 'the unit that closed it'}, which closed this danger, may re-check it`);
      }
      if (!canRecheck(danger, actor.unit.id, now.getTime())) throw new ConflictError(`The re-check (复查) of danger ${dangerId} is ${stage}: due ${danger.recheckDueAt}`);
      const reopened = to === 'failed' ? REOPENED_STATUS : null;
      if (!(await this.repos.dangers.decideRecheck(danger.id, to, reopened, at, tx))) throw new ConflictError(`Danger ${dangerId} was re-checked meanwhile`);
      await this.repos.dangers.addHistory({
        dangerId: danger.id, taskId: null, at, action: `recheck-${body.verdict}`, fromStatus: danger.status, toStatus: reopened ?? danger.status,
        actorType: 'user', actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id, note,
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: body.verdict === 'pass' ? 'danger.recheck-pass' : 'danger.recheck-fail',
        targetType: 'danger', targetId: danger.id, orgUnitId: danger.orgUnitId, detail: { category: danger.category, dueAt: danger.recheckDueAt, note: note.slice(0, 200) }, ip,
      }, tx);
      await publish(danger.orgPath, 'danger:recheck', {
        dangerId: danger.id, stage: to === 'passed' ? 'passed' : 'failed', recheckUnitId: actor.unit.id, cameraName: danger.cameraName, category: danger.category,
        dueAt: danger.recheckDueAt!, dangerStatus: reopened ?? danger.status, actor: actor.username, at,
      });
      const record = (await this.repos.dangers.byId(danger.id, tx))!;
      const task = record.currentTaskId ? await this.repos.tasks.byId(record.currentTaskId, tx) : undefined;
      return publicDanger(record, task ? taskSummary(task) : null);
    });
  }

  /** Announces re-checks that came due, once each, to the unit that re-checks (the due list shows them anyway). */
  async scanRecheckDue(now = new Date(), batch = 200): Promise<number> {
    const at = now.toISOString();
    let marked = 0;
    for (;;) {
      const [n, seen] = await this.atomically(async (tx, publish) => {
        const due = await this.repos.dangers.dueForRecheck(at, batch, tx);
        let n = 0;
        for (const d of due) {
          if (!(await this.repos.dangers.markRecheckNotified(d.id, at, tx))) continue;
          n++;
          await this.repos.dangers.addHistory({
            dangerId: d.id, taskId: null, at, action: 'recheck-due', fromStatus: 'closed', toStatus: 'closed', actorType: 'system',
            actorId: null, actorName: null, actorUnitId: d.recheckUnitId, note: `复查 re-check due since ${d.recheckDueAt}`,
          }, tx);
          await this.repos.audit.record({
            actorType: 'system', action: 'danger.recheck-due', targetType: 'danger', targetId: d.id, orgUnitId: d.recheckUnitId,
            detail: { dueAt: d.recheckDueAt, category: d.category },
          }, tx);
          // To the re-checking unit (and above): the village the danger lies in has nothing to do with it.
          await publish(d.recheckUnitPath, 'danger:recheck', {
            dangerId: d.id, stage: 'due', recheckUnitId: d.recheckUnitId, cameraName: d.cameraName, category: d.category,
            dueAt: d.recheckDueAt, dangerStatus: 'closed', actor: null, at,
          });
        }
        return [n, due.length] as const;
      });
      marked += n;
      if (seen < batch) return marked;
    }
  }

  /** Marks open tasks past their deadline as overdue, once each, and tells both sides. Returns how many. */
  async scanOverdue(now = new Date(), batch = 200): Promise<number> {
    const at = now.toISOString();
    let marked = 0;
    for (;;) {
      // Read inside the transaction so the status recorded is the status marked; batches keep each lock short.
      const [n, seen] = await this.atomically(async (tx, publish) => {
        const due = await this.repos.tasks.dueForOverdue(at, batch, OPEN_STATES, tx);
        let n = 0;
        for (const task of due) {
          if (!(await this.repos.tasks.markOverdue(task.id, at, OPEN_STATES, tx))) continue;
          n++;
          await this.repos.dangers.addHistory({
            dangerId: task.dangerId, taskId: task.id, at, action: 'overdue', fromStatus: task.status, toStatus: task.status,
            actorType: 'system', actorId: null, actorName: null, actorUnitId: null, note: `超期 overdue since ${task.deadline}`,
          }, tx);
          await this.repos.audit.record({
            actorType: 'system', action: 'dispatch.overdue', targetType: 'task', targetId: task.id, orgUnitId: task.toUnitId,
            detail: { dangerId: task.dangerId, deadline: task.deadline, status: task.status },
          }, tx);
          await publish(task.toPath, 'task:overdue', {
            taskId: task.id, dangerId: task.dangerId, fromUnitId: task.fromUnitId, toUnitId: task.toUnitId, toUnitName: task.toUnitName,
            status: task.status, deadline: task.deadline,
          });
        }
        return [n, due.length] as const;
      });
      marked += n;
      if (seen < batch) return marked;
    }
  }

  // ---- 视频调度 wall pushes --------------------------------------------------------------------------------------------

  async pushLayout(actor: Actor, body: LayoutPushCreate, ip: string): Promise<LayoutPush> {
    const target = authorizeSend(actor.unit, await this.unit(body.toUnitId), body.toUnitId);
    for (const [i, cameraId] of body.cameraIds.entries()) {
      const camera = await this.repos.cameras.byId(cameraId);
      if (!camera || !inScope(actor.unit.path, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`, `cameraIds.${i}`);
      // The receiving wall can only play cameras inside its own scope.
      if (!inScope(target.path, camera.orgPath)) throw new BadRequestError(`Camera ${cameraId} (${camera.name}) is not inside ${target.name}`, `cameraIds.${i}`);
    }
    const at = new Date().toISOString();
    return this.atomically(async (tx, publish) => {
      const id = await this.repos.layoutPushes.insert({
        fromUnitId: actor.unit.id, toUnitId: target.id, toPath: target.path, sentBy: actor.userId, sentByName: actor.username,
        cameraIds: body.cameraIds, note: body.note, at,
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: 'layout.push', targetType: 'layout_push', targetId: id,
        orgUnitId: target.id, detail: { cameraIds: body.cameraIds, note: body.note.slice(0, 200) }, ip,
      }, tx);
      await publish(target.path, 'layout:pushed', {
        pushId: id, fromUnitId: actor.unit.id, fromUnitName: actor.unit.name, toUnitId: target.id, toUnitName: target.name,
        sentBy: actor.username, cameraIds: body.cameraIds, note: body.note,
      });
      return publicPush((await this.repos.layoutPushes.byId(id, tx))!);
    });
  }

  /** A push the actor's unit sent or received, else 404. */
  async visiblePush(actor: Actor, id: number) {
    const push = await this.repos.layoutPushes.byId(id);
    if (!push || (push.toUnitId !== actor.unit.id && push.fromUnitId !== actor.unit.id)) throw new NotFoundError(`Layout push ${id}`);
    return push;
  }

  async answerPush(actor: Actor, id: number, answer: 'accepted' | 'dismissed', ip: string): Promise<LayoutPush> {
    const push = await this.visiblePush(actor, id);
    if (push.toUnitId !== actor.unit.id) throw new ForbiddenError(`Only ${push.toUnitName}, which received this push, may answer it`);
    return this.atomically(async (tx) => {
      if (!(await this.repos.layoutPushes.answer(id, answer, actor.username, new Date().toISOString(), tx))) {
        const now = await this.repos.layoutPushes.byId(id, tx);
        throw new ConflictError(`Cannot ${answer === 'accepted' ? 'accept' : 'dismiss'} layout push ${id}: it is already ${now?.status}`);
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: `layout.${answer === 'accepted' ? 'accept' : 'dismiss'}`,
        targetType: 'layout_push', targetId: id, orgUnitId: push.toUnitId, ip,
      }, tx);
      return publicPush((await this.repos.layoutPushes.byId(id, tx))!);
    });
  }
}
