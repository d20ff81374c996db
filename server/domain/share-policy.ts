// Resident share links: the bounds of a new link and when a link may be used. Pure: callers pass the clock.
// The contract (server/contracts/share.ts) validates with these bounds and the share service decides access with
// linkState; the web's create form checks the same bounds before a round trip and shows each link's status from the
// same rule. Dependency-free like everything in server/domain/ (see task-workflow.ts for why it lives here).

/** Bounds of expiresInHours: at least 36 seconds, at most 366 days. */
export const MIN_EXPIRY_HOURS = 0.01;
export const MAX_EXPIRY_DAYS = 366;
export const MAX_EXPIRY_HOURS = 24 * MAX_EXPIRY_DAYS;
/** Cameras a link may name (leaving the list out shares every public-area camera of the unit, however many). */
export const MAX_LINK_CAMERAS = 200;
export const MAX_LABEL_LENGTH = 60;
/** Upper bound of maxDevices: distinct devices that may open one link. */
export const MAX_DEVICES_LIMIT = 10_000;
/** Concurrent resident viewers of one link: the bound and the default. */
export const MAX_VIEWERS_LIMIT = 2_000;
export const DEFAULT_MAX_VIEWERS = 200;
/** How far back a link may let residents rewind (回看), minutes; 0 (the default) lets them watch live only. */
export const MAX_REWIND_MINUTES = 60;

/** HH:MM on a 24-hour clock: the ends of a daily window (China time), as a JSON Schema pattern. */
export const HHMM_PATTERN = '^([01][0-9]|2[0-3]):[0-5][0-9]$';
const HHMM = new RegExp(HHMM_PATTERN);

export function isHhmm(value: string): boolean {
  return HHMM.test(value);
}

export interface LinkTerms {
  expiresAt: string;
  revokedAt: string | null;
  windowStart: string | null;
  windowEnd: string | null;
}

export type LinkState = 'active' | 'expired' | 'revoked' | 'outside-window';

/** Minutes since midnight in China Standard Time (UTC+8, no daylight saving): the time residents read. */
export function chinaMinutes(now: Date): number {
  return (now.getUTCHours() * 60 + now.getUTCMinutes() + 8 * 60) % (24 * 60);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** Inside [start, end); a window that ends before it starts wraps past midnight (e.g. 22:00–06:00). */
export function inDailyWindow(start: string, end: string, now: Date): boolean {
  const t = chinaMinutes(now);
  const s = minutesOf(start);
  const e = minutesOf(end);
  return s <= e ? t >= s && t < e : t >= s || t < e;
}

export function linkState(terms: LinkTerms, now: Date): LinkState {
  if (terms.revokedAt) return 'revoked';
  if (Date.parse(terms.expiresAt) <= now.getTime()) return 'expired';
  if (terms.windowStart && terms.windowEnd && !inDailyWindow(terms.windowStart, terms.windowEnd, now)) return 'outside-window';
  return 'active';
}

// ---- 随手拍: residents' reports through a link ------------------------------------------------------------------

/** A resident's optional words with a report. */
export const MAX_RESIDENT_NOTE_LENGTH = 200;
/** Reports one device may send through one link in a rolling hour, and all devices of one link together. A link
 * is shared with a whole compound, so the link's own cap is what bounds a flood from many phones at once. */
export const RESIDENT_REPORTS_PER_DEVICE_PER_HOUR = 3;
export const RESIDENT_REPORTS_PER_LINK_PER_HOUR = 20;
export const RESIDENT_REPORT_WINDOW_MS = 3_600_000;

/** Which limit a new report would break, given the reports already sent in the window; null when it may go. */
export function residentReportLimit(byDevice: number, byLink: number): 'device' | 'link' | null {
  if (byDevice >= RESIDENT_REPORTS_PER_DEVICE_PER_HOUR) return 'device';
  if (byLink >= RESIDENT_REPORTS_PER_LINK_PER_HOUR) return 'link';
  return null;
}

/**
 * The earliest moment a resident of this link may play back now, in ms, or null when the link allows no rewind or
 * cannot be used now. Rewind never reaches before the link was made, nor (for a link with a daily window) before
 * today's window opened: a resident sees the past of the window they may watch, nothing else.
 */
export function residentRewindFrom(terms: LinkTerms & { rewindMinutes: number; createdAt: string }, now: Date): number | null {
  if (terms.rewindMinutes <= 0 || linkState(terms, now) !== 'active') return null;
  let from = Math.max(now.getTime() - terms.rewindMinutes * 60_000, Date.parse(terms.createdAt));
  if (terms.windowStart && terms.windowEnd) {
    const minutesOpen = (chinaMinutes(now) - minutesOf(terms.windowStart) + 24 * 60) % (24 * 60);
    const opened = now.getTime() - minutesOpen * 60_000 - (now.getTime() % 60_000);
    from = Math.max(from, opened);
  }
  return from;
}
