// Who may do what, by the org tree. Pure: callers pass the units and paths they have loaded.
//
// - Seeing: a task is visible to the unit it was sent to and every unit above it (the county sees everything);
//   a danger is visible where its location (the camera's unit) is in scope. Invisible things answer 404.
// - Acting: the receiving unit's officers accept, handle, re-dispatch, resolve or return; the dispatching unit's
//   officers close (verify) or reject the feedback; escalation of an overdue task is for the dispatching unit or
//   any unit above it. Seeing a task without being on the right side answers 403 naming who may act.
// - Dispatching follows 属地管理 (territorial responsibility): only county and township units dispatch, to a direct
//   subordinate unit, and the danger must lie inside that unit — so whoever receives a task can see its danger.
// The tables (ACTION_SIDE, SENDS_TO) live in server/domain/task-workflow.ts: the web offers actions by them too.
import type { OrgLevel } from '../contracts/api';
import type { TaskAction } from '../contracts/dispatch';
import { inScope } from '../domain/scope';
import { ACTION_SIDE, SENDS_TO } from '../domain/task-workflow';
import { BadRequestError, ForbiddenError, NotFoundError } from '../errors';

export interface UnitRef {
  id: number;
  name: string;
  level: OrgLevel;
  path: string;
  parentId: number | null;
}

export interface Actor {
  userId: number;
  username: string;
  unit: UnitRef;
}

export interface TaskSides {
  fromUnitId: number;
  fromPath: string;
  fromUnitName: string;
  toUnitId: number;
  toPath: string;
  toUnitName: string;
}

export function canSeeTask(scopePath: string, task: Pick<TaskSides, 'toPath'>): boolean {
  return inScope(scopePath, task.toPath);
}

/** Throws unless `actor` may take `action` on a task it can see. */
export function authorizeTaskAction(actor: Actor, action: TaskAction, task: TaskSides): void {
  const side = ACTION_SIDE[action];
  if (side === 'receiver' && actor.unit.id !== task.toUnitId) {
    throw new ForbiddenError(`Only ${task.toUnitName}, which received this task, may ${action} it`);
  }
  if (side === 'dispatcher' && actor.unit.id !== task.fromUnitId) {
    throw new ForbiddenError(`Only ${task.fromUnitName}, which dispatched this task, may ${action} it`);
  }
  if (side === 'dispatcher-or-above' && !inScope(actor.unit.path, task.fromPath)) {
    throw new ForbiddenError(`Only ${task.fromUnitName} or a unit above it may ${action} this task`);
  }
}

/**
 * Checks that `sender` may send to `target` (a task or a wall push). `target` is undefined when no such unit exists.
 * A target outside the sender's scope answers as absent.
 */
export function authorizeSend(sender: UnitRef, target: UnitRef | undefined, targetId: number): UnitRef {
  const level = SENDS_TO[sender.level];
  if (!level) throw new ForbiddenError(`A ${sender.level}-level unit (${sender.name}) cannot dispatch; only county and township units can`);
  if (!target || !inScope(sender.path, target.path) || target.id === sender.id) throw new NotFoundError(`Org unit ${targetId}`, 'toUnitId');
  if (target.parentId !== sender.id || target.level !== level) {
    throw new BadRequestError(`toUnitId must be a ${level} directly under ${sender.name}; ${target.name} is not`, 'toUnitId');
  }
  return target;
}

/** 属地管理: the receiving unit must contain the danger's location. */
export function checkTerritory(target: UnitRef, dangerPath: string, dangerUnitName: string): void {
  if (!inScope(target.path, dangerPath)) {
    throw new BadRequestError(`toUnitId: the danger is located in ${dangerUnitName}, which is not inside ${target.name}`, 'toUnitId');
  }
}

/** A danger may be dispatched (at the top level) by the unit that reported it or any unit above that one. */
export function authorizeDangerDispatch(actor: Actor, ownerPath: string, ownerName: string): void {
  if (!inScope(actor.unit.path, ownerPath)) {
    throw new ForbiddenError(`This danger was reported by ${ownerName}; only it or a unit above it may dispatch it`);
  }
}
