// 视频巡查 on the wall, pure: seconds actually played (proof of viewing, from the player's clock, not a timer),
// which camera comes next, and the plan form's weekday mask. Tested without a browser.

/**
 * Seconds a video actually advanced while watched. Fed the element's currentTime at each poll: forward steps count,
 * a step backwards (a reload, a new playlist) restarts from there, and a jump larger than `maxStep` (a seek to the
 * live edge after a stall) counts as no more than `maxStep` — the operator did not watch what was skipped.
 */
export interface PlayedClock {
  last: number | null;
  played: number;
}

export const startPlayedClock = (): PlayedClock => ({ last: null, played: 0 });

export function tickPlayed(clock: PlayedClock, currentTime: number, paused: boolean, maxStep = 1.0): PlayedClock {
  if (!Number.isFinite(currentTime)) return clock;
  if (clock.last === null || paused || currentTime < clock.last) return { ...clock, last: currentTime };
  return { last: currentTime, played: clock.played + Math.min(currentTime - clock.last, maxStep) };
}

/** The first camera of the run without a mark (patrol order), or -1 when every camera has one. */
export function nextUnmarked(cameraIds: readonly number[], marked: ReadonlySet<number>): number {
  return cameraIds.findIndex((id) => !marked.has(id));
}

/** 正常 needs the dwell watched; 画面异常 and 发现隐患 never wait (a dark camera cannot play). */
export const canMarkNormal = (playedSec: number, dwellSec: number): boolean => playedSec >= dwellSec;

/** Monday-first weekday bits: index 0 = Monday = 1 … index 6 = Sunday = 64. */
export const WEEKDAY_BITS = [1, 2, 4, 8, 16, 32, 64] as const;

export function toggleWeekday(mask: number, index: number): number {
  return mask ^ WEEKDAY_BITS[index];
}

export const hasWeekday = (mask: number, index: number): boolean => (mask & WEEKDAY_BITS[index]) !== 0;

/** "09:00, 15:00" typed by hand → sorted unique valid shifts; the invalid ones are returned to name them. */
export function parseShifts(text: string): { shifts: string[]; invalid: string[] } {
  const parts = text.split(/[\s,，、;；]+/).filter(Boolean);
  const valid = new Set<string>();
  const invalid: string[] = [];
  for (const p of parts) {
    const m = /^(\d{1,2}):(\d{2})$/.exec(p);
    const h = m ? Number(m[1]) : NaN;
    const min = m ? Number(m[2]) : NaN;
    if (m && h < 24 && min < 60) valid.add(`${String(h).padStart(2, '0')}:${m[2]}`);
    else invalid.push(p);
  }
  return { shifts: [...valid].sort(), invalid };
}
