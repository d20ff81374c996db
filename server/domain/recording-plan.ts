// Recording plans (录像计划, issue #17): which mode a camera records in, the weekly schedule read in the county's local
// time, event pre/post roll, and which setting applies to a camera (its own > its unit's or nearest ancestor's >
// its network's > off). Pure: callers pass the clock. The recorder (server/media/record/recorder.ts) asks
// `planActiveAt` per segment, the contract validates with these bounds, and the web's plan editor draws the same
// week from the same functions.
//
// Times: a county works on Beijing time, which has no daylight saving, so a plan's "08:00" is read at the fixed
// offset UTC+8 whatever the server's own time zone is (as patrol shifts and share-link windows are).

export type RecordingMode = 'off' | 'continuous' | 'schedule' | 'event';
export const RECORDING_MODES: readonly RecordingMode[] = ['off', 'continuous', 'schedule', 'event'];

/** One recorded range of a day: [from, to), "HH:MM"; `to` may be "24:00" (to the end of the day). */
export interface PlanRange {
  from: string;
  to: string;
}

/** Seven days, Monday first (index 0 = 周一 … 6 = 周日); each a list of ranges. */
export interface WeeklyPlan {
  days: PlanRange[][];
}

export const PLAN_DAYS = 7;
/** Ranges per day at most (a grid of hours merges into at most 12 ranges). */
export const MAX_RANGES_PER_DAY = 24;
export const MIN_ROLL_SEC = 0;
export const MAX_PRE_ROLL_SEC = 300;
export const MAX_POST_ROLL_SEC = 600;
export const DEFAULT_PRE_ROLL_SEC = 30;
export const DEFAULT_POST_ROLL_SEC = 30;
/** Evidence clip of a danger tag: this much before and after the tagged moment. */
export const EVIDENCE_BEFORE_SEC = 30;
export const EVIDENCE_AFTER_SEC = 30;

/** "HH:MM" or "24:00", as a JSON Schema pattern. */
export const PLAN_TIME_PATTERN = '^(?:([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';
const PLAN_TIME = new RegExp(PLAN_TIME_PATTERN);

const OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

export function planMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

export function hhmmOf(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The first problem of a plan as { field, message } (field named like `schedule.days[2][0].to`), or null. */
export function planProblem(plan: WeeklyPlan, field = 'schedule'): { field: string; message: string } | null {
  if (!plan || !Array.isArray(plan.days) || plan.days.length !== PLAN_DAYS) return { field: `${field}.days`, message: 'must list 7 days, Monday first' };
  for (let d = 0; d < PLAN_DAYS; d++) {
    const ranges = plan.days[d]!;
    if (!Array.isArray(ranges)) return { field: `${field}.days[${d}]`, message: 'must be a list of ranges' };
    if (ranges.length > MAX_RANGES_PER_DAY) return { field: `${field}.days[${d}]`, message: `at most ${MAX_RANGES_PER_DAY} ranges a day` };
    const sorted = ranges.map((r, i) => ({ r, i })).sort((a, b) => (PLAN_TIME.test(a.r.from) && PLAN_TIME.test(b.r.from) ? planMinutes(a.r.from) - planMinutes(b.r.from) : 0));
    for (const { r, i } of sorted) {
      const at = `${field}.days[${d}][${i}]`;
      if (!PLAN_TIME.test(r.from) || r.from === '24:00') return { field: `${at}.from`, message: 'must be HH:MM (00:00–23:59)' };
      if (!PLAN_TIME.test(r.to)) return { field: `${at}.to`, message: 'must be HH:MM (00:01–24:00)' };
      if (planMinutes(r.to) <= planMinutes(r.from)) return { field: `${at}.to`, message: 'must be after from (a night range is split at midnight)' };
    }
    for (let k = 1; k < sorted.length; k++) {
      if (planMinutes(sorted[k]!.r.from) < planMinutes(sorted[k - 1]!.r.to)) {
        return { field: `${field}.days[${d}][${sorted[k]!.i}].from`, message: 'overlaps another range of the day' };
      }
    }
  }
  return null;
}

/** Monday-first weekday (0–6) and minute of the day in China time. */
export function localWeekMinute(ms: number): { day: number; minute: number } {
  const local = new Date(ms + OFFSET_MS);
  return { day: (local.getUTCDay() + 6) % 7, minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/** Whether the plan records at this instant. */
export function planActiveAt(plan: WeeklyPlan, ms: number): boolean {
  const { day, minute } = localWeekMinute(ms);
  return (plan.days[day] ?? []).some((r) => minute >= planMinutes(r.from) && minute < planMinutes(r.to));
}

/** The next instant after `ms` at which the plan starts or stops recording, or null for a plan that never changes
 * (empty, or all week). Searched minute boundary by boundary over the next 8 days. */
export function nextPlanChange(plan: WeeklyPlan, ms: number): number | null {
  const now = planActiveAt(plan, ms);
  const localMidnight = Math.floor((ms + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
  const edges: number[] = [];
  for (let k = 0; k <= 8; k++) {
    const dayStart = localMidnight + k * DAY_MS;
    const { day } = localWeekMinute(dayStart);
    for (const r of plan.days[day] ?? []) edges.push(dayStart + planMinutes(r.from) * 60_000, dayStart + planMinutes(r.to) * 60_000);
    edges.push(dayStart);
  }
  edges.sort((a, b) => a - b);
  for (const e of edges) if (e > ms && planActiveAt(plan, e) !== now) return e;
  return null;
}

/** A week as a 7×24 grid of hours (the editor's cells): a cell is on when the plan records the whole hour. */
export function planToGrid(plan: WeeklyPlan): boolean[][] {
  return Array.from({ length: PLAN_DAYS }, (_, d) => Array.from({ length: 24 }, (_, h) =>
    (plan.days[d] ?? []).some((r) => planMinutes(r.from) <= h * 60 && planMinutes(r.to) >= (h + 1) * 60)));
}

/** The grid back to ranges, adjacent hours merged. */
export function gridToPlan(grid: boolean[][]): WeeklyPlan {
  return {
    days: Array.from({ length: PLAN_DAYS }, (_, d) => {
      const out: PlanRange[] = [];
      let start = -1;
      for (let h = 0; h <= 24; h++) {
        const on = h < 24 && !!grid[d]?.[h];
        if (on && start < 0) start = h;
        if (!on && start >= 0) { out.push({ from: hhmmOf(start * 60), to: hhmmOf(h * 60) }); start = -1; }
      }
      return out;
    }),
  };
}

export const emptyPlan = (): WeeklyPlan => ({ days: Array.from({ length: PLAN_DAYS }, () => []) });

/** A recording setting as stored for a camera, an org unit or a network. */
export interface RecordingPlan {
  mode: RecordingMode;
  stream: 'main' | 'sub';
  retentionDays: number;
  schedule: WeeklyPlan | null;
  preRollSec: number;
  postRollSec: number;
}

export type PlanSource = 'camera' | 'unit' | 'network' | 'none';

/** The setting that applies to a camera: its own, else the nearest unit's up its org path (`unitDefaults` nearest
 * first), else its network's, else off. */
export function effectivePlan(
  own: RecordingPlan | undefined,
  unitDefaults: readonly (RecordingPlan & { unitId: number })[],
  networkDefault: RecordingPlan | undefined,
  fallback: RecordingPlan,
): { plan: RecordingPlan; source: PlanSource; unitId: number | null } {
  if (own) return { plan: own, source: 'camera', unitId: null };
  const unit = unitDefaults[0];
  if (unit) {
    const { unitId, ...plan } = unit;
    return { plan, source: 'unit', unitId };
  }
  if (networkDefault) return { plan: networkDefault, source: 'network', unitId: null };
  return { plan: fallback, source: 'none', unitId: null };
}

/** Whether a mode keeps the camera's relay running now: continuous always, a schedule inside its ranges, event
 * always (its pre-roll comes from the rewind ring, which only a running relay has). */
export function pinsRelay(plan: Pick<RecordingPlan, 'mode' | 'schedule'>, ms: number): boolean {
  if (plan.mode === 'continuous' || plan.mode === 'event') return true;
  if (plan.mode === 'schedule') return !!plan.schedule && planActiveAt(plan.schedule, ms);
  return false;
}

/** Whether a segment finished at `ms` is kept as a recording (else it goes to the ring): continuous, a schedule
 * inside its ranges, or any mode while an event's or evidence's post-roll runs (`holdUntil`). */
export function recordsAt(plan: Pick<RecordingPlan, 'mode' | 'schedule'>, ms: number, holdUntil: number | null): boolean {
  if (holdUntil !== null && ms <= holdUntil) return true;
  if (plan.mode === 'continuous') return true;
  if (plan.mode === 'schedule') return !!plan.schedule && planActiveAt(plan.schedule, ms);
  return false;
}
