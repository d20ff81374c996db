// The dispatch workflow (派单 → 签收 → 处置 → 反馈 → 办结) as a pure state machine. No I/O: callers load the task,
// its parent and its children, ask `plan` for the state changes an action causes, and write them in one transaction.
//
// A task is one assignment from a unit to a direct subordinate unit. When a township re-dispatches its task to a
// village, the township's task waits in `delegated` and a child task starts; the child's outcome flows back up:
//   child resolved           → parent resolved (the village's feedback answers the county too)
//   child returned/escalated → parent accepted (the township decides again: handle, re-dispatch, or return)
// and a decision at the top flows down:
//   parent closed            → a resolved child is closed with it (the county's verification covers the chain)
//   parent rejected          → a resolved child goes back to handling, the parent waits in delegated again
//   parent escalated         → open children are escalated with it (the whole chain is taken back)
import type { DangerStatus, TaskAction, TaskStatus } from '../contracts/dispatch';
import { ConflictError } from '../errors';

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
export const FINAL_STATES: readonly TaskStatus[] = ['closed', 'returned', 'escalated'];

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

export interface TaskNode {
  id: number;
  status: TaskStatus;
  parentId: number | null;
  /** Set by the overdue scanner; escalation is only for overdue tasks. */
  overdue: boolean;
}

export interface StateChange {
  taskId: number;
  from: TaskStatus;
  to: TaskStatus;
  /** The action taken on this task, or 'cascade' when it follows from its parent's or child's change. */
  action: TaskAction | 'cascade';
}

export function isOpen(status: TaskStatus): boolean {
  return OPEN_STATES.includes(status);
}

/** Where `action` leads from `status`, or a 409 naming both. */
export function nextStatus(status: TaskStatus, action: TaskAction): TaskStatus {
  const to = TRANSITIONS[action][status];
  if (!to) {
    const allowed = Object.keys(TRANSITIONS[action]).join(', ');
    throw new ConflictError(
      `Cannot ${action} (${ACTION_LABELS[action]}) a task that is ${status} (${TASK_STATUS_LABELS[status]}); ${action} is allowed from: ${allowed}`,
    );
  }
  return to;
}

/** Every state change `action` on `task` causes, the task's own first. Throws 409 for an illegal action. */
export function plan(task: TaskNode, action: TaskAction, related: { parent?: TaskNode; children: TaskNode[] }): StateChange[] {
  if (action === 'escalate' && !task.overdue) {
    throw new ConflictError(`Cannot escalate (上报) a task that is not overdue; it is ${task.status} (${TASK_STATUS_LABELS[task.status]})`);
  }
  const to = nextStatus(task.status, action);
  const changes: StateChange[] = [{ taskId: task.id, from: task.status, to, action }];
  const cascade = (node: TaskNode, next: TaskStatus) => {
    if (node.status !== next) changes.push({ taskId: node.id, from: node.status, to: next, action: 'cascade' });
  };

  // Upward: only a delegated parent is waiting for this child.
  const { parent } = related;
  if (parent && parent.status === 'delegated') {
    if (to === 'resolved') cascade(parent, 'resolved');
    else if (to === 'returned' || to === 'escalated') cascade(parent, 'accepted');
  } else if (parent && parent.status === 'resolved' && action === 'reject') {
    // The township rejects its village's feedback that had already answered the county: wait for the village again.
    cascade(parent, 'delegated');
  }

  // Downward.
  const resolvedChild = related.children.find((c) => c.status === 'resolved');
  if (action === 'close' && resolvedChild) cascade(resolvedChild, 'closed');
  if (action === 'reject' && resolvedChild) {
    cascade(resolvedChild, 'handling');
    changes[0] = { ...changes[0], to: 'delegated' };
  }
  if (action === 'escalate') for (const child of related.children.filter((c) => isOpen(c.status))) cascade(child, 'escalated');
  return changes;
}

/** Danger states from which the reporting side may dispatch (again). */
export const DISPATCHABLE: readonly DangerStatus[] = ['reported', 'returned', 'escalated'];

export function checkDispatchable(status: DangerStatus): void {
  if (!DISPATCHABLE.includes(status)) {
    throw new ConflictError(`Cannot dispatch (派单) a danger that is ${status}; it must be one of: ${DISPATCHABLE.join(', ')}`);
  }
}

/** A danger shows its top-level task's state; a township's delegated task is, seen from above, being handled. */
export function dangerStatusOf(status: TaskStatus): DangerStatus {
  return status === 'delegated' ? 'handling' : status;
}
