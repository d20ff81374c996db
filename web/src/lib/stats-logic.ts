// Pure helpers of the statistics view: date range ↔ query, bar widths, rates, CSV links.
import { buildUrl } from '../api/http';

export interface DayRange {
  /** Local calendar days as YYYY-MM-DD (what <input type="date"> holds); both ends inclusive. */
  fromDay: string;
  toDay: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
export const dayOf = (d: Date): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

/** The last `days` days including today. */
export function defaultRange(now: Date, days = 30): DayRange {
  const from = new Date(now.getFullYear(), now.getMonth(), now.getDate() - (days - 1));
  return { fromDay: dayOf(from), toDay: dayOf(now) };
}

function localMidnight(day: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? null : d;
}

/** The API's half-open [from, to) range: from the first day's local midnight to the midnight after the last day. */
export function rangeQuery(range: DayRange): { from: string; to: string } | null {
  const from = localMidnight(range.fromDay);
  const last = localMidnight(range.toDay);
  if (!from || !last || last < from) return null;
  const to = new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** Width of a bar in percent of the largest value in its table (0 when everything is 0). */
export function barPercent(value: number, max: number): number {
  if (!(max > 0) || !(value > 0)) return 0;
  return Math.min(100, Math.round((value / max) * 1000) / 10);
}

/** 办结率 as a percentage with one decimal; null (nothing dispatched) shows as a dash. */
export function formatRate(rate: number | null): string {
  if (rate === null || !Number.isFinite(rate)) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** The server's exact closure rate ("99.98", truncated, never rounded up to 100.00) as shown: "99.98%". */
export function formatPercent(percent: string | null | undefined): string {
  return percent == null ? '—' : `${percent}%`;
}

export type StatsGroup = 'unit' | 'category' | 'network';

export function csvUrl(groupBy: StatsGroup, query: { from: string; to: string } | null, orgUnitId?: number): string {
  return buildUrl('/api/stats/export.csv', { groupBy, from: query?.from, to: query?.to, orgUnitId });
}
