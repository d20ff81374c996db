// When a share link may be used. Pure: callers pass the clock.

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
