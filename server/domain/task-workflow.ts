// The dispatch workflow's rules as data: which action leads from which task state to which, which states are still
// someone's job, which side of a task takes each action, which unit levels send tasks down, when a danger may be
// dispatched. Both sides need the same answers: the server enforces them (server/dispatch/workflow.ts plans the
// changes and answers 409, permissions.ts answers 403) and the web offers only the buttons that can succeed.
//
// Why here: server/domain/ holds the pure rules that more than one layer uses — the server's services and
// contracts, and the web bundle. A module here imports nothing at run time but its siblings (types from
// server/contracts/ are erased), so importing it never drags Fastify or node: into the browser;
// test/domain/purity.test.ts checks that, and that the web imports server code only from here.
import type { OrgLevel } from '../contracts/api';
import type { DangerStatus, TaskAction, TaskStatus } from '../contracts/dispatch';

export const TASK_STATUS_LABELS: Record<TaskStatus, string> = {
  dispatched: '已派发', accepted: '已签收', delegated: '已转派', handling: '处置中',
  resolved: '已反馈', closed: '已办结', returned: '已退回', escalated: '已上报',
};

export const ACTION_LABELS: Record<TaskAction, string> = {
  accept: '签收', handle: '处置', redispatch: '转派', resolve: '反馈', close: '办结',
  reject: '驳回', return: '退回', escalate: '上报',
};

/** States in which the task is still someone's job (the overdue clock runs). */
export const OPEN_STATES: readonly TaskStatus[] = ['dispatched', 'accepted', 'delegated', 'handling'];

export function isOpen(status: TaskStatus): boolean {
  return OPEN_STATES.includes(status);
}

/** action → (state it may be taken from → state it leads to) for the task acted on. */
export const TRANSITIONS: Record<TaskAction, Partial<Record<TaskStatus, TaskStatus>>> = {
  accept: { dispatched: 'accepted' },
  handle: { accepted: 'handling' },
  redispatch: { accepted: 'delegated', handling: 'delegated' },
  resolve: { accepted: 'resolved', handling: 'resolved' },
  close: { resolved: 'closed' },
  reject: { resolved: 'handling' },
  return: { dispatched: 'returned', accepted: 'returned', handling: 'returned' },
  escalate: { dispatched: 'escalated', accepted: 'escalated', handling: 'escalated', delegated: 'escalated' },
};

/** Where `action` leads from `status`, or undefined when it cannot be taken there. */
export function transition(status: TaskStatus, action: TaskAction): TaskStatus | undefined {
  return TRANSITIONS[action][status];
}

/**
 * Which side of a task takes each action: the receiving unit works it; the dispatching unit verifies (close) or
 * rejects the feedback; escalation of an overdue task is for the dispatching unit or any unit above it.
 */
export type Side = 'receiver' | 'dispatcher' | 'dispatcher-or-above';

export const ACTION_SIDE: Record<TaskAction, Side> = {
  accept: 'receiver',
  handle: 'receiver',
  redispatch: 'receiver',
  resolve: 'receiver',
  return: 'receiver',
  close: 'dispatcher',
  reject: 'dispatcher',
  escalate: 'dispatcher-or-above',
};

/** Unit levels that send tasks and wall pushes down, and the level they send to (属地管理: one level down). */
export const SENDS_TO: Partial<Record<OrgLevel, OrgLevel>> = { county: 'township', township: 'village' };

/** Danger states from which the reporting side may dispatch (again). */
export const DISPATCHABLE: readonly DangerStatus[] = ['reported', 'returned', 'escalated'];

export function isDispatchable(status: DangerStatus): boolean {
  return DISPATCHABLE.includes(status);
}

/** A danger shows its top-level task's state; a township's delegated task is, seen from above, being handled. */
export function dangerStatusOf(status: TaskStatus): DangerStatus {
  return status === 'delegated' ? 'handling' : status;
}
