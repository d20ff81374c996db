// 轮巡 (tour): cycles a group of cameras through the wall's tiles, one page per interval, pausable.
// Pure and driven by explicit timestamps so it is tested without timers; the hook ticks it once a second.

export const TOUR_INTERVALS = [10, 30, 60] as const;
export type TourIntervalSec = (typeof TOUR_INTERVALS)[number];

export interface TourState {
  page: number;
  /** Pages in the group; 1 until the group's size is known. */
  pages: number;
  intervalMs: number;
  /** When the next page is due; null while paused. */
  nextAt: number | null;
  /** Time left on the current page while paused. */
  remainingMs: number;
}

export const pageCount = (total: number, pageSize: number): number =>
  pageSize > 0 ? Math.max(1, Math.ceil(Math.max(0, total) / pageSize)) : 1;

export function startTour(intervalSec: number, now: number, pages = 1): TourState {
  const intervalMs = intervalSec * 1000;
  return { page: 0, pages: Math.max(1, pages), intervalMs, nextAt: now + intervalMs, remainingMs: intervalMs };
}

export const isPaused = (s: TourState): boolean => s.nextAt === null;

export function pauseTour(s: TourState, now: number): TourState {
  if (s.nextAt === null) return s;
  return { ...s, nextAt: null, remainingMs: Math.max(0, s.nextAt - now) };
}

export function resumeTour(s: TourState, now: number): TourState {
  if (s.nextAt !== null) return s;
  return { ...s, nextAt: now + s.remainingMs };
}

/** The group's size changed (first page loaded, cameras added): keep the page inside it. */
export function setPages(s: TourState, pages: number): TourState {
  const n = Math.max(1, pages);
  return n === s.pages && s.page < n ? s : { ...s, pages: n, page: s.page % n };
}

/** A new interval applies from now on the current page. */
export function setTourInterval(s: TourState, intervalSec: number, now: number): TourState {
  const intervalMs = intervalSec * 1000;
  return s.nextAt === null ? { ...s, intervalMs, remainingMs: intervalMs } : { ...s, intervalMs, nextAt: now + intervalMs };
}

/** Step to another page by hand (next/previous); the full interval starts again. */
export function stepTour(s: TourState, delta: number, now: number): TourState {
  const page = (((s.page + delta) % s.pages) + s.pages) % s.pages;
  return s.nextAt === null ? { ...s, page, remainingMs: s.intervalMs } : { ...s, page, nextAt: now + s.intervalMs };
}

/**
 * Advances when the page is due. A tab that slept for minutes moves one page, not many: the next page is
 * scheduled from now, not from the missed due time.
 */
export function tickTour(s: TourState, now: number): TourState {
  if (s.nextAt === null || now < s.nextAt) return s;
  return { ...s, page: (s.page + 1) % s.pages, nextAt: now + s.intervalMs };
}

/** Seconds left on the current page, for the toolbar countdown. */
export function secondsLeft(s: TourState, now: number): number {
  const ms = s.nextAt === null ? s.remainingMs : s.nextAt - now;
  return Math.max(0, Math.ceil(ms / 1000));
}

/** One page of an in-memory list (a saved layout's cameras), `size` long, padded with nulls. */
export function pageOf<T>(items: readonly T[], page: number, size: number): Array<T | null> {
  const slice: Array<T | null> = items.slice(page * size, page * size + size);
  while (slice.length < size) slice.push(null);
  return slice;
}
