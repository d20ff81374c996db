// The date range of every statistics answer (dangers, availability, patrol): `to` defaults to now, `from` to 30 days
// before `to`, and a range that does not move forward is a 400 naming `from`. One rule, so the pages agree.
import { BadRequestError } from './errors';

export const DEFAULT_STATS_DAYS = 30;

export function statsRange(query: { from?: string; to?: string }, now = new Date()): { from: string; to: string } {
  const to = query.to ? new Date(query.to) : now;
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_STATS_DAYS * 86_400_000);
  if (from >= to) throw new BadRequestError('from must be before to', 'from');
  return { from: from.toISOString(), to: to.toISOString() };
}
