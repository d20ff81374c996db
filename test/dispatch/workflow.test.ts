import { describe, expect, it } from 'vitest';
import type { TaskAction, TaskStatus } from '../../server/contracts/dispatch';
import { checkDispatchable, nextStatus, plan, type TaskNode } from '../../server/dispatch/workflow';
import { TRANSITIONS } from '../../server/domain/task-workflow';
import { ConflictError } from '../../server/errors';

const STATES: TaskStatus[] = ['dispatched', 'accepted', 'delegated', 'handling', 'resolved', 'closed', 'returned', 'escalated'];
const ACTIONS: TaskAction[] = ['accept', 'handle', 'redispatch', 'resolve', 'close', 'reject', 'return', 'escalate'];

// The legal table: the shared one, which test/domain/task-workflow.test.ts holds to a copy written out by hand.
const LEGAL = TRANSITIONS;

const node = (status: TaskStatus, extra: Partial<TaskNode> = {}): TaskNode => ({ id: 10, status, parentId: null, overdue: false, ...extra });

describe('task state machine', () => {
  for (const action of ACTIONS) {
    for (const state of STATES) {
      const to = LEGAL[action][state];
      if (to) {
        it(`${action} from ${state} → ${to}`, () => {
          const changes = plan(node(state, { overdue: action === 'escalate' }), action, { children: [] });
          expect(changes[0]).toEqual({ taskId: 10, from: state, to, action });
        });
      } else {
        it(`${action} from ${state} is refused with 409 naming both`, () => {
          const attempt = () => plan(node(state, { overdue: true }), action, { children: [] });
          expect(attempt).toThrow(ConflictError);
          expect(attempt).toThrow(new RegExp(`Cannot ${action} .*a task that is ${state}`));
        });
      }
    }
  }

  it('escalates only overdue tasks', () => {
    expect(() => plan(node('accepted'), 'escalate', { children: [] })).toThrow(/not overdue/);
    expect(plan(node('accepted', { overdue: true }), 'escalate', { children: [] })[0].to).toBe('escalated');
  });

  it('nextStatus gives a 409 with the allowed states', () => {
    try {
      nextStatus('closed', 'accept');
      expect.unreachable();
    } catch (err) {
      expect((err as ConflictError).statusCode).toBe(409);
      expect((err as Error).message).toMatch(/allowed from: dispatched/);
    }
  });
});

describe('parent and child tasks', () => {
  const parent = (status: TaskStatus) => ({ id: 1, status, parentId: null, overdue: false });
  const child = (status: TaskStatus, overdue = false) => ({ id: 2, status, parentId: 1, overdue });

  it('a village’s feedback resolves the delegated township task too', () => {
    expect(plan(child('handling'), 'resolve', { parent: parent('delegated'), children: [] })).toEqual([
      { taskId: 2, from: 'handling', to: 'resolved', action: 'resolve' },
      { taskId: 1, from: 'delegated', to: 'resolved', action: 'cascade' },
    ]);
  });

  it('a village’s return or escalation gives the task back to the township (accepted)', () => {
    expect(plan(child('dispatched'), 'return', { parent: parent('delegated'), children: [] })[1]).toEqual({ taskId: 1, from: 'delegated', to: 'accepted', action: 'cascade' });
    expect(plan(child('accepted', true), 'escalate', { parent: parent('delegated'), children: [] })[1]).toEqual({ taskId: 1, from: 'delegated', to: 'accepted', action: 'cascade' });
  });

  it('the township verifying its village leaves the already-resolved parent alone', () => {
    expect(plan(child('resolved'), 'close', { parent: parent('resolved'), children: [] })).toEqual([{ taskId: 2, from: 'resolved', to: 'closed', action: 'close' }]);
  });

  it('the township rejecting its village’s feedback puts the parent back to delegated', () => {
    expect(plan(child('resolved'), 'reject', { parent: parent('resolved'), children: [] })).toEqual([
      { taskId: 2, from: 'resolved', to: 'handling', action: 'reject' },
      { taskId: 1, from: 'resolved', to: 'delegated', action: 'cascade' },
    ]);
  });

  it('the county closing the township task closes the resolved village task with it', () => {
    expect(plan(parent('resolved'), 'close', { children: [child('resolved'), { ...child('returned'), id: 3 }] })).toEqual([
      { taskId: 1, from: 'resolved', to: 'closed', action: 'close' },
      { taskId: 2, from: 'resolved', to: 'closed', action: 'cascade' },
    ]);
  });

  it('the county rejecting sends the village back to work and the township waits again', () => {
    expect(plan(parent('resolved'), 'reject', { children: [child('resolved')] })).toEqual([
      { taskId: 1, from: 'resolved', to: 'delegated', action: 'reject' },
      { taskId: 2, from: 'resolved', to: 'handling', action: 'cascade' },
    ]);
    expect(plan(parent('resolved'), 'reject', { children: [child('closed')] })[0].to).toBe('handling');
  });

  it('escalating a delegated task escalates its open child', () => {
    expect(plan({ ...parent('delegated'), overdue: true }, 'escalate', { children: [child('handling')] })).toEqual([
      { taskId: 1, from: 'delegated', to: 'escalated', action: 'escalate' },
      { taskId: 2, from: 'handling', to: 'escalated', action: 'cascade' },
    ]);
  });

  it('a township cannot resolve while its village has the task', () => {
    expect(() => plan(parent('delegated'), 'resolve', { children: [child('handling')] })).toThrow(/Cannot resolve .*delegated/);
  });
});

describe('dispatching a danger', () => {
  it('is refused with 409 unless the danger is reported, returned or escalated', () => {
    for (const s of ['reported', 'returned', 'escalated'] as const) expect(() => checkDispatchable(s)).not.toThrow();
    for (const s of ['dispatched', 'accepted', 'handling', 'resolved', 'closed'] as const) {
      expect(() => checkDispatchable(s)).toThrow(ConflictError);
      expect(() => checkDispatchable(s)).toThrow(new RegExp(`Cannot dispatch .*that is ${s}`));
    }
  });
});
