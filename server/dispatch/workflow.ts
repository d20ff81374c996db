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
//
// The tables (transitions, open states, labels, …) live in server/domain/task-workflow.ts, shared with the web;
// this module adds what only the server does with them: plan the changes of one action, and refuse with 409.
import type { DangerStatus, TaskAction, TaskStatus } from '../contracts/dispatch';
import { ACTION_LABELS, DISPATCHABLE, isDispatchable, isOpen, TASK_STATUS_LABELS, TRANSITIONS, transition } from '../domain/task-workflow';
import { ConflictError } from '../errors';

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

/** Where `action` leads from `status`, or a 409 naming both. */
export function nextStatus(status: TaskStatus, action: TaskAction): TaskStatus {
  const to = transition(status, action);
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

export function checkDispatchable(status: DangerStatus): void {
  if (!isDispatchable(status)) {
    throw new ConflictError(`Cannot dispatch (派单) a danger that is ${status}; it must be one of: ${DISPATCHABLE.join(', ')}`);
  }
}
