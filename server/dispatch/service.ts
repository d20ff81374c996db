// The dispatch use cases: tag a danger, dispatch it, act on a task, mark overdue tasks, push cameras to a wall.
// Framework-free: the plugin (server/plugins/dispatch.ts) hands in the database, repositories and the event
// publisher. Each use case checks scope and permission, asks the pure workflow for the state changes, and writes
// the changes, their history, the audit row and the event log entry in one transaction; socket.io pushes happen
// only after the commit, so no client hears about a change that was rolled back.
import type { Camera } from '../contracts/api';
import type {
  DangerCreate, DispatchBody, LayoutPush, LayoutPushCreate, Severity, TaskAction, TaskSummary, Taxonomy,
} from '../contracts/dispatch';
import type { DurableEventName, EventPayload } from '../contracts/events';
import type { Database, Queryable } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { DangerRecord } from '../db/repositories/dangers';
import { publicPush } from '../db/repositories/layout-pushes';
import { taskSummary, type TaskChange, type TaskRecord } from '../db/repositories/tasks';
import { inScope } from '../domain/scope';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { decodeJpeg, storeJpeg } from './evidence';
import {
  authorizeDangerDispatch, authorizeSend, authorizeTaskAction, canSeeTask, checkTerritory, type Actor, type UnitRef,
} from './permissions';
import { defaultDeadline } from './taxonomy';
import { ACTION_LABELS, checkDispatchable, dangerStatusOf, plan, type StateChange } from './workflow';

export interface Publisher {
  record<E extends DurableEventName>(tx: Queryable, orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>): Promise<EventPayload<E>>;
  emit<E extends DurableEventName>(orgPath: string, event: E, payload: EventPayload<E>): void;
}

export interface DispatchDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  dataDir: string;
  taxonomy: Taxonomy;
}

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

type Emit = () => void;

export class DispatchService {
  constructor(private readonly deps: DispatchDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  /** Runs `fn` in a transaction; the emits it queued run after the commit. */
  private async atomically<T>(fn: (tx: Queryable, later: (e: Emit) => void) => Promise<T>): Promise<T> {
    const emits: Emit[] = [];
    const result = await this.deps.db.transaction((tx) => fn(tx, (e) => emits.push(e)));
    for (const e of emits) e();
    return result;
  }

  private async publish<E extends DurableEventName>(tx: Queryable, later: (e: Emit) => void, path: string, event: E, payload: Omit<EventPayload<E>, 'seq'>) {
    const stamped = await this.deps.publisher.record(tx, path, event, payload);
    later(() => this.deps.publisher.emit(path, event, stamped));
  }

  private async unit(id: number, db?: Queryable): Promise<UnitRef | undefined> {
    const row = await this.repos.orgUnits.byId(id, db).catch(() => undefined);
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
    const camera: (Camera & { orgPath: string }) | undefined = await this.repos.cameras.byId(body.cameraId).catch(() => undefined);
    if (!camera || !inScope(actor.unit.path, camera.orgPath)) throw new NotFoundError(`Camera ${body.cameraId}`, 'cameraId');
    if (!this.deps.taxonomy.categories.some((c) => c.key === body.category)) {
      throw new BadRequestError(`category must be one of: ${this.deps.taxonomy.categories.map((c) => c.key).join(', ')}`, 'category');
    }
    if (Date.parse(body.capturedAt) > Date.now() + CAPTURE_SKEW_MS) throw new BadRequestError('capturedAt is in the future', 'capturedAt');
    const image = storeJpeg(this.deps.dataDir, decodeJpeg(body.evidenceJpeg, 'evidenceJpeg'));
    const at = new Date().toISOString();
    const capturedAt = new Date(body.capturedAt).toISOString();

    return this.atomically(async (tx, later) => {
      const id = await this.repos.dangers.insert({
        cameraId: camera.id, cameraName: camera.name, network: camera.network, orgUnitId: camera.orgUnitId, orgPath: camera.orgPath,
        lat: camera.lat, lng: camera.lng, address: camera.address, capturedAt, category: body.category, severity: body.severity,
        note: body.note ?? '', evidenceSha256: image.sha256, evidenceBytes: image.bytes, ownerUnitId: actor.unit.id,
        ownerPath: actor.unit.path, createdBy: actor.userId, createdByName: actor.username, at,
      }, tx);
      await this.repos.dangers.addHistory({
        dangerId: id, taskId: null, at, action: 'created', fromStatus: null, toStatus: 'reported', actorType: 'user',
        actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id, note: body.note ?? '',
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: 'danger.create', targetType: 'danger', targetId: id,
        orgUnitId: camera.orgUnitId, detail: { cameraId: camera.id, category: body.category, severity: body.severity, evidence: image.sha256 }, ip,
      }, tx);
      await this.publish(tx, later, camera.orgPath, 'danger:created', {
        dangerId: id, cameraId: camera.id, cameraName: camera.name, orgUnitId: camera.orgUnitId, category: body.category,
        severity: body.severity, capturedAt, createdBy: actor.username,
      });
      return id;
    });
  }

  /** 派单: sends a reported (or returned / escalated) danger to a direct subordinate unit. Returns the new task. */
  async dispatchDanger(actor: Actor, dangerId: number, body: DispatchBody, ip: string): Promise<TaskSummary> {
    const now = new Date();
    return this.atomically(async (tx, later) => {
      const danger = await this.repos.dangers.visible(dangerId, actor.unit.path, tx);
      const target = authorizeSend(actor.unit, await this.unit(body.toUnitId, tx), body.toUnitId);
      authorizeDangerDispatch(actor, danger.ownerPath, danger.ownerUnitName);
      checkDispatchable(danger.status);
      checkTerritory(target, danger.orgPath, danger.orgUnitName);
      const deadline = body.deadline ? new Date(body.deadline).toISOString() : defaultDeadline(this.deps.taxonomy, danger.severity, now).toISOString();
      this.checkDeadline(deadline, now);
      const task = await this.createTask(tx, later, actor, danger, null, target, deadline, body.note ?? '', now.toISOString(), ip);
      await this.repos.dangers.update(danger.id, { status: 'dispatched', at: task.dispatchedAt, currentTaskId: task.id, dispatchedAt: task.dispatchedAt }, tx);
      return taskSummary(task);
    });
  }

  private async createTask(
    tx: Queryable, later: (e: Emit) => void, actor: Actor, danger: DangerRecord, parent: TaskRecord | null, target: UnitRef,
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
    await this.publish(tx, later, target.path, 'task:received', {
      taskId: id, dangerId: danger.id, parentTaskId: parent?.id ?? null, fromUnitId: actor.unit.id, fromUnitName: actor.unit.name,
      toUnitId: target.id, toUnitName: target.name, category: danger.category, severity: danger.severity as Severity, deadline, note, sentBy: actor.username,
    });
    return (await this.repos.tasks.byId(id, tx))!;
  }

  // ---- tasks ------------------------------------------------------------------------------------------------------

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
    const now = new Date();
    const at = now.toISOString();

    return this.atomically(async (tx, later) => {
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

      const changes = plan(task, action, { parent, children });
      const byId = new Map<number, TaskRecord>([[task.id, task], ...children.map((c) => [c.id, c] as const)]);
      if (parent) byId.set(parent.id, parent);
      const note = input.note ?? input.reason ?? input.feedback ?? '';

      for (const change of changes) {
        const subject = byId.get(change.taskId)!;
        const own = change.taskId === task.id;
        await this.repos.tasks.update(change.taskId, change.from, this.columns(change, own, at, input, photo?.sha256, task), tx);
        await this.repos.dangers.addHistory({
          dangerId: danger.id, taskId: change.taskId, at, action: change.action, fromStatus: change.from, toStatus: change.to,
          actorType: 'user', actorId: actor.userId, actorName: actor.username, actorUnitId: actor.unit.id,
          note: own ? note : `${ACTION_LABELS[action]} #${task.id} (${task.toUnitName})`,
        }, tx);
        if (change.taskId === danger.currentTaskId) {
          await this.repos.dangers.update(danger.id, {
            status: dangerStatusOf(change.to), at,
            acceptedAt: change.to === 'accepted' && change.action === 'accept' ? at : undefined,
            closedAt: change.to === 'closed' ? at : undefined,
          }, tx);
        }
        const dangerStatus = change.taskId === danger.currentTaskId ? dangerStatusOf(change.to) : (await this.repos.dangers.byId(danger.id, tx))!.status;
        await this.publish(tx, later, subject.toPath, 'task:status', {
          taskId: change.taskId, dangerId: danger.id, fromUnitId: subject.fromUnitId, toUnitId: subject.toUnitId, action: change.action,
          status: change.to, dangerStatus, actor: actor.username, at, note: own ? note : '',
        });
      }
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: `dispatch.${action}`, targetType: 'task',
        targetId: task.id, orgUnitId: task.toUnitId,
        detail: { dangerId: danger.id, changes: changes.map((c) => `#${c.taskId} ${c.from}→${c.to}`), note: note.slice(0, 200) }, ip,
      }, tx);

      if (action === 'redispatch') {
        const child = await this.createTask(tx, later, actor, danger, task, target!, deadline!, input.note ?? '', at, ip);
        return taskSummary(child);
      }
      return taskSummary((await this.repos.tasks.byId(task.id, tx))!);
    });
  }

  /** Columns written with a state change: milestones, feedback (copied up from the child that answered), reasons. */
  private columns(change: StateChange, own: boolean, at: string, input: ActionInput, photo: string | undefined, acted: TaskRecord): TaskChange {
    const c: TaskChange = { status: change.to, at };
    if (change.to === 'accepted' && change.action === 'accept') c.acceptedAt = at;
    if (change.to === 'resolved') {
      c.resolvedAt = at;
      c.feedback = own ? input.feedback : `${acted.toUnitName}: ${input.feedback ?? ''}`;
      c.feedbackPhotoSha256 = own ? (photo ?? null) : (photo ?? acted.feedbackPhotoSha256);
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

  /** Marks open tasks past their deadline as overdue, once each, and tells both sides. Returns how many. */
  async scanOverdue(now = new Date(), batch = 200): Promise<number> {
    const at = now.toISOString();
    let marked = 0;
    for (;;) {
      // Read inside the transaction so the status recorded is the status marked; batches keep each lock short.
      const [n, seen] = await this.atomically(async (tx, later) => {
        const due = await this.repos.tasks.dueForOverdue(at, batch, tx);
        let n = 0;
        for (const task of due) {
          if (!(await this.repos.tasks.markOverdue(task.id, at, tx))) continue;
          n++;
          await this.repos.dangers.addHistory({
            dangerId: task.dangerId, taskId: task.id, at, action: 'overdue', fromStatus: task.status, toStatus: task.status,
            actorType: 'system', actorId: null, actorName: null, actorUnitId: null, note: `超期 overdue since ${task.deadline}`,
          }, tx);
          await this.repos.audit.record({
            actorType: 'system', action: 'dispatch.overdue', targetType: 'task', targetId: task.id, orgUnitId: task.toUnitId,
            detail: { dangerId: task.dangerId, deadline: task.deadline, status: task.status },
          }, tx);
          await this.publish(tx, later, task.toPath, 'task:overdue', {
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
      const camera = await this.repos.cameras.byId(cameraId).catch(() => undefined);
      if (!camera || !inScope(actor.unit.path, camera.orgPath)) throw new NotFoundError(`Camera ${cameraId}`, `cameraIds.${i}`);
      // The receiving wall can only play cameras inside its own scope.
      if (!inScope(target.path, camera.orgPath)) throw new BadRequestError(`Camera ${cameraId} (${camera.name}) is not inside ${target.name}`, `cameraIds.${i}`);
    }
    const at = new Date().toISOString();
    return this.atomically(async (tx, later) => {
      const id = await this.repos.layoutPushes.insert({
        fromUnitId: actor.unit.id, toUnitId: target.id, toPath: target.path, sentBy: actor.userId, sentByName: actor.username,
        cameraIds: body.cameraIds, note: body.note, at,
      }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: actor.userId, actorName: actor.username, action: 'layout.push', targetType: 'layout_push', targetId: id,
        orgUnitId: target.id, detail: { cameraIds: body.cameraIds, note: body.note.slice(0, 200) }, ip,
      }, tx);
      await this.publish(tx, later, target.path, 'layout:pushed', {
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
