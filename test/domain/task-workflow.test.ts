// The dispatch workflow's tables, shared by the server (workflow.ts, permissions.ts) and the web (dispatch-logic.ts).
// How the server plans cascades with them is tested in test/dispatch/workflow.test.ts.
import { describe, expect, it } from 'vitest';
import type { TaskAction, TaskStatus } from '../../server/contracts/dispatch';
import {
  ACTION_LABELS, ACTION_SIDE, dangerStatusOf, isDispatchable, isOpen, OPEN_STATES, SENDS_TO, TASK_STATUS_LABELS, transition, TRANSITIONS,
} from '../../server/domain/task-workflow';

const STATES: TaskStatus[] = ['dispatched', 'accepted', 'delegated', 'handling', 'resolved', 'closed', 'returned', 'escalated'];

/** The legal table, written out by hand so a change to TRANSITIONS has to change this test too. */
const LEGAL: Record<TaskAction, Partial<Record<TaskStatus, TaskStatus>>> = {
  accept: { dispatched: 'accepted' },
  handle: { accepted: 'handling' },
  redispatch: { accepted: 'delegated', handling: 'delegated' },
  resolve: { accepted: 'resolved', handling: 'resolved' },
  close: { resolved: 'closed' },
  reject: { resolved: 'handling' },
  return: { dispatched: 'returned', accepted: 'returned', handling: 'returned' },
  escalate: { dispatched: 'escalated', accepted: 'escalated', handling: 'escalated', delegated: 'escalated' },
};

describe('task workflow tables', () => {
  it('match the documented transition table', () => {
    expect(TRANSITIONS).toEqual(LEGAL);
    expect(transition('dispatched', 'accept')).toBe('accepted');
    expect(transition('closed', 'accept')).toBeUndefined();
    expect(transition('delegated', 'resolve')).toBeUndefined();
  });

  it('keep a task open until it is resolved, closed, returned or escalated', () => {
    expect(STATES.filter(isOpen)).toEqual(['dispatched', 'accepted', 'delegated', 'handling']);
    expect(OPEN_STATES).toEqual(STATES.filter(isOpen));
  });

  it('let no action start from a state that is not open, except verifying or rejecting feedback', () => {
    for (const [action, from] of Object.entries(TRANSITIONS)) {
      for (const state of Object.keys(from) as TaskStatus[]) {
        if (!isOpen(state)) expect([action, state]).toEqual([expect.stringMatching(/^(close|reject)$/), 'resolved']);
      }
    }
  });

  it('give every action a side and a label, and every state a label', () => {
    expect(Object.keys(ACTION_SIDE).sort()).toEqual(Object.keys(TRANSITIONS).sort());
    expect(Object.keys(ACTION_LABELS).sort()).toEqual(Object.keys(TRANSITIONS).sort());
    expect(Object.keys(TASK_STATUS_LABELS).sort()).toEqual([...STATES].sort());
    expect((Object.keys(ACTION_SIDE) as TaskAction[]).filter((a) => ACTION_SIDE[a] === 'dispatcher').sort()).toEqual(['close', 'reject']);
    expect(ACTION_SIDE.escalate).toBe('dispatcher-or-above');
  });

  it('send one level down, from the county and townships only', () => {
    expect(SENDS_TO).toEqual({ county: 'township', township: 'village' });
  });
});

describe('danger status', () => {
  it('may be dispatched when reported, returned or escalated only', () => {
    for (const s of ['reported', 'returned', 'escalated'] as const) expect(isDispatchable(s)).toBe(true);
    for (const s of ['dispatched', 'accepted', 'handling', 'resolved', 'closed'] as const) expect(isDispatchable(s)).toBe(false);
  });

  it('mirrors the top task, delegated shown as handling', () => {
    expect(dangerStatusOf('delegated')).toBe('handling');
    expect(dangerStatusOf('closed')).toBe('closed');
  });
});
