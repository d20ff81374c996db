// 视频巡查 (video patrol) rules as data and pure functions: when a plan's runs fall due, which action leads a run from
// which state to which, and when a run is overdue. The server enforces them (server/patrol/service.ts answers 409
// naming the state) and the web offers only the buttons that can succeed — the same answers from one module.
//
// Times: a county works on Beijing time, which has no daylight saving, so shifts ("09:00") are read at the fixed
// offset UTC+8 whatever the server's own time zone is. Instants are ISO strings in UTC everywhere else.

export type PatrolRunState = 'due' | 'running' | 'paused' | 'completed';
export type PatrolRunAction = 'start' | 'pause' | 'resume' | 'handover' | 'complete';
export type PatrolMarkResult = 'normal' | 'danger' | 'abnormal';

export const PATROL_STATE_LABELS: Record<PatrolRunState, string> = {
  due: '待巡查', running: '巡查中', paused: '已暂停', completed: '已完成',
};

export const PATROL_ACTION_LABELS: Record<PatrolRunAction, string> = {
  start: '开始', pause: '暂停', resume: '继续', handover: '移交', complete: '完成',
};

/** action → (state it may be taken from → state it leads to). A handover keeps the state and changes the operator. */
export const PATROL_TRANSITIONS: Record<PatrolRunAction, Partial<Record<PatrolRunState, PatrolRunState>>> = {
  start: { due: 'running' },
  pause: { running: 'paused' },
  resume: { paused: 'running' },
  handover: { running: 'paused', paused: 'paused' },
  complete: { running: 'completed' },
};

/** States in which the run is still someone's job (the overdue clock runs). */
export const OPEN_PATROL_STATES: readonly PatrolRunState[] = ['due', 'running', 'paused'];

export function nextPatrolState(state: PatrolRunState, action: PatrolRunAction): PatrolRunState | undefined {
  return PATROL_TRANSITIONS[action][state];
}

/** Cameras are marked only while the run is in progress (a paused run is resumed first). */
export const canMark = (state: PatrolRunState): boolean => state === 'running';

/** A run is completed only when every camera has a mark: an unwatched camera is not patrolled. */
export function missingMarks(cameraIds: readonly number[], marked: ReadonlySet<number>): number[] {
  return cameraIds.filter((id) => !marked.has(id));
}

export function isPatrolOverdue(state: PatrolRunState, deadline: string, now: Date): boolean {
  return OPEN_PATROL_STATES.includes(state) && Date.parse(deadline) < now.getTime();
}

/** Completed no later than its deadline. */
export function onTime(completedAt: string | null, deadline: string): boolean {
  return completedAt !== null && Date.parse(completedAt) <= Date.parse(deadline);
}

// ---- schedule --------------------------------------------------------------------------------------------------

export const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;
/** Weekday bits, Monday first: 1 = Mon, 2 = Tue … 64 = Sun; 127 = every day, 31 = weekdays. */
export const EVERY_DAY = 127;
export const WEEKDAYS = 31;
export const SHIFT_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

export interface PatrolSchedule {
  /** Shift start times "HH:MM" (Beijing time). */
  shifts: readonly string[];
  /** Weekday bit mask, Monday = 1 … Sunday = 64. */
  weekdays: number;
}

/** Monday = 0 … Sunday = 6 for a Beijing-time calendar day starting at `dayStartUtc`. */
function weekdayIndex(dayStartUtc: number): number {
  const jsDay = new Date(dayStartUtc + BEIJING_OFFSET_MS).getUTCDay(); // 0 = Sunday
  return (jsDay + 6) % 7;
}

const minutesOf = (shift: string): number => Number(shift.slice(0, 2)) * 60 + Number(shift.slice(3, 5));

/**
 * The instants in (from, to] at which a run of this schedule falls due, oldest first. `from` exclusive so that
 * consecutive scans over adjoining windows never produce the same run twice.
 */
export function dueTimes(schedule: PatrolSchedule, from: Date, to: Date): Date[] {
  const out: Date[] = [];
  if (to <= from || schedule.shifts.length === 0 || (schedule.weekdays & EVERY_DAY) === 0) return out;
  const shifts = [...new Set(schedule.shifts)].map(minutesOf).sort((a, b) => a - b);
  // Beijing midnight at or before `from`, in UTC milliseconds.
  let day = Math.floor((from.getTime() + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;
  for (; day <= to.getTime(); day += DAY_MS) {
    if ((schedule.weekdays & (1 << weekdayIndex(day))) === 0) continue;
    for (const minutes of shifts) {
      const at = day + minutes * 60_000;
      if (at > from.getTime() && at <= to.getTime()) out.push(new Date(at));
    }
  }
  return out;
}

/** Coverage of a set of runs: cameras with a mark ÷ cameras the runs asked for (0 when nothing was asked). */
export function coverage(asked: number, marked: number): number {
  return asked > 0 ? marked / asked : 0;
}
