// Dashboard numbers, read from the tables the workflow writes (dangers and their milestones, tasks for returns and
// overdue marks). The cohort is "dangers found in the range": every figure in a row counts the same dangers, so a
// closure rate can never pass 100% and the per-township rows add up to the total.
import type { StatsRow } from '../../contracts/dispatch';
import { closureRatePercent } from '../../domain/closure-rules';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export type StatsGroup = 'total' | 'unit' | 'category' | 'network';

interface Aggregate {
  key: string;
  found: number;
  dispatched: number;
  closed: number;
  pendingRecheck: number;
  returned: number;
  overdue: number;
  avgAcceptSec: number | null;
  avgCloseSec: number | null;
}

export interface StatsLabel {
  key: string;
  name: string;
  nameEn: string;
}

/** The child of the scope root that contains the danger: '/1/3/12/' under '/1/' → '3'; '' for the root itself. */
const UNIT_KEY = `substr(substr(d.org_path, length(:scope) + 1), 1, instr(substr(d.org_path, length(:scope) + 1), '/') - 1)`;
const GROUP_EXPR: Record<StatsGroup, string> = { total: "''", unit: UNIT_KEY, category: 'd.category', network: 'd.network' };

function finish(a: Aggregate | undefined, label: StatsLabel): StatsRow {
  const found = a?.found ?? 0;
  const dispatched = a?.dispatched ?? 0;
  const closed = a?.closed ?? 0;
  const round = (x: number | null | undefined) => (x == null ? null : Math.round(x));
  return {
    ...label, found, dispatched, closed, pendingRecheck: a?.pendingRecheck ?? 0, returned: a?.returned ?? 0, overdue: a?.overdue ?? 0,
    closureRate: dispatched ? Math.round((closed / dispatched) * 10_000) / 10_000 : null,
    closureRatePercent: closureRatePercent(closed, dispatched),
    avgAcceptSec: round(a?.avgAcceptSec), avgCloseSec: round(a?.avgCloseSec),
  };
}

export class DangerStatsRepository {
  constructor(private readonly db: Queryable) {}

  private aggregate(group: StatsGroup, scopePath: string, from: string, to: string): Promise<Aggregate[]> {
    return this.db.all<Aggregate>(
      `SELECT ${GROUP_EXPR[group]} AS key,
              count(*) AS found,
              sum(d.first_dispatched_at IS NOT NULL) AS dispatched,
              -- Verified closures only (closure-rules.ts isVerifiedClosure): closed, and not waiting for its re-check.
              -- A failed re-check reopened the danger (status no longer closed): it does not count either.
              sum(d.status = 'closed' AND d.closed_at IS NOT NULL AND coalesce(d.recheck_status, '') <> 'pending') AS closed,
              sum(d.status = 'closed' AND d.recheck_status = 'pending') AS pendingRecheck,
              sum(EXISTS (SELECT 1 FROM tasks t WHERE t.danger_id = d.id AND t.returned_at IS NOT NULL)) AS returned,
              sum(EXISTS (SELECT 1 FROM tasks t WHERE t.danger_id = d.id AND t.overdue_at IS NOT NULL)) AS overdue,
              avg((julianday(d.first_accepted_at) - julianday(d.first_dispatched_at)) * 86400) AS avgAcceptSec,
              avg(CASE WHEN d.status = 'closed' AND coalesce(d.recheck_status, '') <> 'pending'
                       THEN (julianday(d.closed_at) - julianday(d.first_dispatched_at)) * 86400 END) AS avgCloseSec
       FROM dangers d
       WHERE d.org_path >= :scope AND d.org_path < :upper AND d.created_at >= :from AND d.created_at < :to
       GROUP BY key`,
      { ':scope': scopePath, ':upper': prefixUpperBound(scopePath), ':from': from, ':to': to },
    );
  }

  /**
   * One row per label, in the labels' order (zeros where nothing was found), then any key found in the data that
   * no label names (a category since removed from the taxonomy, a unit's own cameras under key '').
   */
  async rows(group: StatsGroup, scopePath: string, from: string, to: string, labels: StatsLabel[]): Promise<StatsRow[]> {
    const byKey = new Map((await this.aggregate(group, scopePath, from, to)).map((a) => [String(a.key), a]));
    const rows = labels.map((label) => finish(byKey.get(label.key), label));
    const named = new Set(labels.map((l) => l.key));
    for (const [key, a] of byKey) if (!named.has(key)) rows.push(finish(a, { key, name: key || '本级', nameEn: key || 'Own unit' }));
    return rows;
  }

  async total(scopePath: string, from: string, to: string, label: StatsLabel): Promise<StatsRow> {
    const [a] = await this.aggregate('total', scopePath, from, to);
    return finish(a, label);
  }
}
