// Pure rules the dispatch UI needs: which actions to offer, deadlines, overdue, durations, whom a toast is for.
// The server is the authority (403/409 with a message); these only decide what to show so that an officer is not
// offered buttons that can only fail. Which state an action may start from, which side takes it and which states are
// open are the server's own tables (server/domain/task-workflow.ts), imported, never restated.
import type { Severity, TaskAction, TaskStatus, Taxonomy } from '../../../server/contracts/dispatch';
import { ACTION_SIDE, isOpen, transition } from '../../../server/domain/task-workflow';

/** Order of the buttons in the drawer: the usual next step first. */
export const ACTION_ORDER: readonly TaskAction[] = ['accept', 'handle', 'resolve', 'redispatch', 'close', 'reject', 'return', 'escalate'];

/** Actions that need a text from the user before they are sent, and which field carries it. */
export const ACTION_INPUT: Partial<Record<TaskAction, 'reason' | 'feedback' | 'dispatch'>> = {
  reject: 'reason',
  return: 'reason',
  resolve: 'feedback',
  redispatch: 'dispatch',
};

export interface TaskSides {
  status: TaskStatus;
  overdue: boolean;
  fromUnitId: number;
  toUnitId: number;
}

export interface Viewer {
  unitId: number;
  /** Whether the viewer's unit sends tasks further down (county, township). */
  canDispatch: boolean;
}

/**
 * Actions the viewer may take on a task it can see. Seeing a task means being its receiver or above it, so a viewer
 * that is not the receiver is the dispatcher or above it: that is who may escalate (上报) an overdue task.
 */
export function availableActions(task: TaskSides, viewer: Viewer): TaskAction[] {
  return ACTION_ORDER.filter((action) => {
    if (!transition(task.status, action)) return false;
    if (action === 'escalate' && !task.overdue) return false;
    switch (ACTION_SIDE[action]) {
      case 'receiver':
        // 转派 also needs a unit that sends further down.
        return viewer.unitId === task.toUnitId && (action !== 'redispatch' || viewer.canDispatch);
      case 'dispatcher':
        return viewer.unitId === task.fromUnitId;
      case 'dispatcher-or-above':
        return viewer.unitId !== task.toUnitId;
    }
  });
}

/** Overdue as shown: marked by the server's scanner, or past the deadline while still open (the scan runs later). */
export function isOverdue(task: Pick<TaskSides, 'status' | 'overdue'> & { deadline: string }, now: number): boolean {
  if (!isOpen(task.status)) return false;
  return task.overdue || Date.parse(task.deadline) < now;
}

export function defaultDeadlineHours(taxonomy: Taxonomy | null, severity: Severity): number {
  const found = taxonomy?.severities.find((s) => s.key === severity)?.defaultDeadlineHours;
  return found ?? ({ general: 168, major: 72, critical: 24 } as const)[severity];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A Date as the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInput(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The ISO instant of a datetime-local value, or undefined when empty or malformed. */
export function fromLocalInput(value: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return undefined;
  const time = new Date(value).getTime(); // no zone in the string: parsed as local time
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

export interface DurationParts {
  days: number;
  hours: number;
  minutes: number;
}

/** Whole days, hours and minutes of a non-negative number of seconds (rounded to the nearest minute). */
export function durationParts(seconds: number): DurationParts {
  const total = Math.max(0, Math.round(seconds / 60));
  return { days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

type Fmt = (key: 'time.days' | 'time.hours' | 'time.minutes' | 'time.underMinute', params?: Record<string, number>) => string;

/** "2 天 3 小时" / "3 小时 5 分钟" / "5 分钟": two units at most, as people read deadlines. */
export function formatDuration(seconds: number, fmt: Fmt): string {
  if (seconds < 60) return fmt('time.underMinute');
  const { days, hours, minutes } = durationParts(seconds);
  const parts: string[] = [];
  if (days) parts.push(fmt('time.days', { n: days }));
  if (hours) parts.push(fmt('time.hours', { n: hours }));
  if (!days && minutes) parts.push(fmt('time.minutes', { n: minutes }));
  return parts.length ? parts.join(' ') : fmt('time.minutes', { n: 0 });
}

/** Toast and sound only for what was sent to this very unit: every event also reaches the units above it. */
export const isForMe = (event: { toUnitId: number }, myUnitId: number): boolean => event.toUnitId === myUnitId;
