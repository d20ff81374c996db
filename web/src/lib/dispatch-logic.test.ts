import { describe, expect, it } from 'vitest';
import {
  availableActions, defaultDeadlineHours, durationParts, formatDuration, fromLocalInput, isForMe, isOverdue, toLocalInput,
} from './dispatch-logic';

const task = (status: Parameters<typeof availableActions>[0]['status'], overdue = false) => ({ status, overdue, fromUnitId: 1, toUnitId: 7 });
const county = { unitId: 1, canDispatch: true };
const township = { unitId: 7, canDispatch: true };
const village = { unitId: 9, canDispatch: false };

describe('availableActions', () => {
  it('offers the receiver the next steps', () => {
    expect(availableActions(task('dispatched'), township)).toEqual(['accept', 'return']);
    expect(availableActions(task('accepted'), township)).toEqual(['handle', 'resolve', 'redispatch', 'return']);
    expect(availableActions(task('handling'), township)).toEqual(['resolve', 'redispatch', 'return']);
    expect(availableActions(task('resolved'), township)).toEqual([]);
  });

  it('offers the dispatcher close and reject on feedback', () => {
    expect(availableActions(task('resolved'), county)).toEqual(['close', 'reject']);
    expect(availableActions(task('dispatched'), county)).toEqual([]);
  });

  it('never offers 转派 to a unit that cannot dispatch', () => {
    const villageTask = { status: 'accepted' as const, overdue: false, fromUnitId: 7, toUnitId: 9 };
    expect(availableActions(villageTask, village)).toEqual(['handle', 'resolve', 'return']);
  });

  it('offers escalation only on overdue open tasks, to the dispatching side', () => {
    expect(availableActions(task('handling', true), county)).toEqual(['escalate']);
    expect(availableActions(task('delegated', true), county)).toEqual(['escalate']);
    expect(availableActions(task('handling', true), township)).not.toContain('escalate');
    expect(availableActions(task('closed', true), county)).toEqual([]);
  });
});

describe('deadlines and durations', () => {
  it('marks open tasks past their deadline as overdue', () => {
    const now = Date.parse('2026-05-01T12:00:00Z');
    expect(isOverdue({ status: 'handling', overdue: false, deadline: '2026-05-01T11:00:00Z' }, now)).toBe(true);
    expect(isOverdue({ status: 'closed', overdue: true, deadline: '2026-05-01T11:00:00Z' }, now)).toBe(false);
    expect(isOverdue({ status: 'accepted', overdue: false, deadline: '2026-05-02T11:00:00Z' }, now)).toBe(false);
  });

  it('takes default deadlines from the taxonomy, with the documented fallback', () => {
    const taxonomy = { categories: [], severities: [{ key: 'critical' as const, name: '重大', nameEn: 'Critical', defaultDeadlineHours: 12 }] };
    expect(defaultDeadlineHours(taxonomy, 'critical')).toBe(12);
    expect(defaultDeadlineHours(taxonomy, 'major')).toBe(72);
    expect(defaultDeadlineHours(null, 'general')).toBe(168);
  });

  it('round-trips datetime-local values in local time', () => {
    const date = new Date(2026, 4, 1, 9, 5);
    expect(toLocalInput(date)).toBe('2026-05-01T09:05');
    expect(fromLocalInput('2026-05-01T09:05')).toBe(date.toISOString());
    expect(fromLocalInput('')).toBeUndefined();
  });

  it('formats durations in two units at most', () => {
    const fmt = (key: string, p?: Record<string, number>) => `${p?.n ?? ''}${key.slice(5, 6)}`;
    expect(durationParts(3 * 3600 + 5 * 60 + 20)).toEqual({ days: 0, hours: 3, minutes: 5 });
    expect(formatDuration(3 * 3600 + 5 * 60, fmt)).toBe('3h 5m');
    expect(formatDuration(2 * 86400 + 3 * 3600 + 5 * 60, fmt)).toBe('2d 3h');
    expect(formatDuration(30, fmt)).toBe('u');
    expect(formatDuration(3600, fmt)).toBe('1h');
  });

  it('notifies only the receiving unit, not the units above it', () => {
    expect(isForMe({ toUnitId: 7 }, 7)).toBe(true);
    expect(isForMe({ toUnitId: 9 }, 7)).toBe(false);
  });
});
