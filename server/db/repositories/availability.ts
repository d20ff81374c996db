// 在线率 and 完好率 over a date range, from the status history (camera_status_log: one row per change) and the
// maintenance tickets. Summed per (network, child unit of the scope) in SQL, so a county of 100,000 cameras comes
// back as a few hundred rows; the caller adds them up per network, per unit and in total.
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export interface AvailabilitySums {
  network: string;
  /** The scope's child unit the cameras are under (its path), or the scope's own path for cameras on it. */
  childPath: string;
  cameras: number;
  /** Days: camera time in the range (from its creation), observed (online or offline) time, online time, time under an open ticket. */
  span: number;
  observed: number;
  online: number;
  down: number;
  openTickets: number;
  ticketsOpened: number;
}

export class AvailabilityRepository {
  constructor(private readonly db: Queryable) {}

  async sums(scopePath: string, from: string, to: string, now: string): Promise<AvailabilitySums[]> {
    const upper = prefixUpperBound(scopePath);
    const child = `substr(org_path, 1, length(:p) + instr(substr(org_path, length(:p) + 1), '/'))`;
    const params = { ':p': scopePath, ':pu': upper, ':from': from, ':to': to };
    const time = await this.db.all<Omit<AvailabilitySums, 'openTickets' | 'ticketsOpened'>>(
      `WITH cams AS (
         SELECT id, network, ${child} AS childPath, max(created_at, :from) AS s0 FROM cameras
         WHERE org_path >= :p AND org_path < :pu AND created_at < :to
       ),
       seg AS (
         SELECT l.camera_id, l.status, max(l.at, :from) AS s,
                min(coalesce(lead(l.at) OVER (PARTITION BY l.camera_id ORDER BY l.at, l.id), :to), :to) AS e
         FROM camera_status_log l JOIN cams c ON c.id = l.camera_id WHERE l.at < :to
       ),
       per AS (
         SELECT camera_id,
                sum(CASE WHEN status = 'online' AND e > s THEN julianday(e) - julianday(s) ELSE 0 END) AS online,
                sum(CASE WHEN status <> 'unknown' AND e > s THEN julianday(e) - julianday(s) ELSE 0 END) AS observed
         FROM seg GROUP BY camera_id
       ),
       tk AS (
         SELECT camera_id, sum(max(0, julianday(min(coalesce(recovered_at, closed_at, :to), :to)) - julianday(max(opened_at, :from)))) AS down
         FROM maintenance_tickets WHERE org_path >= :p AND org_path < :pu AND opened_at < :to AND coalesce(recovered_at, closed_at, :to) > :from
         GROUP BY camera_id
       )
       SELECT c.network, c.childPath, count(*) AS cameras, sum(julianday(:to) - julianday(c.s0)) AS span,
              sum(coalesce(p.observed, 0)) AS observed, sum(coalesce(p.online, 0)) AS online, sum(min(coalesce(t.down, 0), julianday(:to) - julianday(c.s0))) AS down
       FROM cams c LEFT JOIN per p ON p.camera_id = c.id LEFT JOIN tk t ON t.camera_id = c.id
       GROUP BY c.network, c.childPath`,
      params,
    );
    const tickets = await this.db.all<{ network: string; childPath: string; openTickets: number; ticketsOpened: number }>(
      `SELECT network, ${child} AS childPath, sum(state IN ('dispatched', 'repairing') AND opened_at <= :now) AS openTickets,
              sum(opened_at >= :from AND opened_at < :to) AS ticketsOpened
       FROM maintenance_tickets WHERE org_path >= :p AND org_path < :pu GROUP BY network, childPath`,
      { ...params, ':now': now },
    );
    const key = (r: { network: string; childPath: string }) => `${r.network}\n${r.childPath}`;
    const out = new Map<string, AvailabilitySums>(time.map((r) => [key(r), { ...r, openTickets: 0, ticketsOpened: 0 }]));
    for (const t of tickets) {
      const row = out.get(key(t)) ?? { network: t.network, childPath: t.childPath, cameras: 0, span: 0, observed: 0, online: 0, down: 0, openTickets: 0, ticketsOpened: 0 };
      row.openTickets = t.openTickets;
      row.ticketsOpened = t.ticketsOpened;
      out.set(key(t), row);
    }
    return [...out.values()];
  }
}
