// Maintenance tickets (运维工单) and the unit maintaining each network. Rows only: the workflow rules are in
// server/domain/ticket-workflow.ts and the use cases in server/maintenance/service.ts.
import type { CameraStatus } from '../../contracts/api';
import type { Maintainer, MaintainerBody, Ticket, TicketOrigin, TicketQuery, TicketState } from '../../contracts/maintenance';
import { prefixUpperBound } from '../../domain/scope';
import type { Queryable, SqlValue } from '../database';

export interface TicketRecord extends Omit<Ticket, 'cameraStatus' | 'orgUnitName'> {
  orgPath: string;
}

export interface NewTicket {
  cameraId: number;
  cameraName: string;
  network: string;
  orgUnitId: number;
  orgPath: string;
  origin: TicketOrigin;
  reason: string | null;
  note: string;
  unitName: string;
  contact: string;
  phone: string;
  openedBy: string;
  at: string;
}

/** A camera that has stayed offline past the threshold with no open ticket. */
export interface DarkCamera {
  id: number;
  name: string;
  network: string;
  orgUnitId: number;
  orgPath: string;
  reason: string | null;
  offlineSince: string;
}

const COLUMNS = `t.id, t.camera_id AS cameraId, t.camera_name AS cameraName, t.network, t.org_unit_id AS orgUnitId, t.org_path AS orgPath,
  t.state, t.origin, t.reason, t.note, t.unit_name AS unitName, t.contact, t.phone, t.opened_at AS openedAt, t.opened_by AS openedBy,
  t.repair_started_at AS repairStartedAt, t.recovered_at AS recoveredAt, t.closed_at AS closedAt, t.closed_by AS closedBy`;

const OPEN = "('dispatched', 'repairing')";

export class MaintenanceRepository {
  constructor(private readonly db: Queryable) {}

  /** Every configured network with its maintainer (empty strings where none is set). */
  maintainers(db: Queryable = this.db): Promise<Maintainer[]> {
    return db.all<Maintainer>(
      `SELECT n.key AS network, n.name AS networkName, coalesce(m.unit_name, '') AS unitName, coalesce(m.contact, '') AS contact,
              coalesce(m.phone, '') AS phone, m.updated_at AS updatedAt
       FROM networks n LEFT JOIN network_maintainers m ON m.network = n.key ORDER BY n.sort, n.key`,
    );
  }

  async maintainer(network: string, db: Queryable = this.db): Promise<Maintainer | undefined> {
    return (await this.maintainers(db)).find((m) => m.network === network);
  }

  async setMaintainer(network: string, body: MaintainerBody, at: string, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO network_maintainers (network, unit_name, contact, phone, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(network) DO UPDATE SET unit_name = excluded.unit_name, contact = excluded.contact, phone = excluded.phone, updated_at = excluded.updated_at`,
      [network, body.unitName, body.contact, body.phone, at],
    );
  }

  /** Cameras offline since `before` or earlier with no open ticket, oldest first (a partial index keeps it cheap). */
  dark(before: string, limit: number, db: Queryable = this.db): Promise<DarkCamera[]> {
    return db.all<DarkCamera>(
      `SELECT c.id, c.name, c.network, c.org_unit_id AS orgUnitId, c.org_path AS orgPath, c.status_reason AS reason, c.status_changed_at AS offlineSince
       FROM cameras c INDEXED BY cameras_offline_since
       WHERE c.status = 'offline' AND c.status_changed_at <= ?
         -- A push device (移动视频, 'push:') is offline whenever it is not publishing: that is not a fault.
         AND c.endpoint NOT LIKE 'push:%'
         AND NOT EXISTS (SELECT 1 FROM maintenance_tickets t WHERE t.camera_id = c.id AND t.state IN ${OPEN})
       ORDER BY c.status_changed_at LIMIT ?`,
      [before, limit],
    );
  }

  /** Open outage tickets whose camera is online again, and open tickets whose camera was deleted. */
  async settled(db: Queryable = this.db): Promise<{ online: TicketRecord[]; gone: TicketRecord[] }> {
    const rows = await db.all<TicketRecord & { status: CameraStatus | null }>(
      `SELECT ${COLUMNS}, c.status FROM maintenance_tickets t LEFT JOIN cameras c ON c.id = t.camera_id
       WHERE t.state IN ${OPEN} AND (c.id IS NULL OR (c.status = 'online' AND t.origin = 'offline'))`,
    );
    const strip = ({ status: _s, ...t }: TicketRecord & { status: CameraStatus | null }) => t;
    return { online: rows.filter((r) => r.status === 'online').map(strip), gone: rows.filter((r) => r.status === null).map(strip) };
  }

  /** Open tickets follow their camera when it is moved to another unit (catalogue edit or import). */
  async followMoves(db: Queryable = this.db): Promise<number> {
    const { changes } = await db.run(
      `UPDATE maintenance_tickets SET org_path = c.org_path, org_unit_id = c.org_unit_id
       FROM cameras c WHERE c.id = maintenance_tickets.camera_id AND maintenance_tickets.state IN ${OPEN}
         AND (c.org_path <> maintenance_tickets.org_path OR c.org_unit_id <> maintenance_tickets.org_unit_id)`,
    );
    return changes;
  }

  async openFor(cameraId: number, db: Queryable = this.db): Promise<TicketRecord | undefined> {
    return db.get<TicketRecord>(`SELECT ${COLUMNS} FROM maintenance_tickets t WHERE t.camera_id = ? AND t.state IN ${OPEN}`, [cameraId]);
  }

  byId(id: number, db: Queryable = this.db): Promise<TicketRecord | undefined> {
    return db.get<TicketRecord>(`SELECT ${COLUMNS} FROM maintenance_tickets t WHERE t.id = ?`, [id]);
  }

  async insert(t: NewTicket, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO maintenance_tickets (camera_id, camera_name, network, org_unit_id, org_path, state, origin, reason, note, unit_name, contact, phone,
         opened_at, opened_by, updated_at) VALUES (?, ?, ?, ?, ?, 'dispatched', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [t.cameraId, t.cameraName, t.network, t.orgUnitId, t.orgPath, t.origin, t.reason, t.note, t.unitName, t.contact, t.phone, t.at, t.openedBy, t.at],
    );
    return lastID;
  }

  /** Moves a ticket from `from` to `to`, stamping the time column of the new state; false when it was not in `from`. */
  async move(id: number, from: TicketState, to: TicketState, at: string, by: string, note: string | undefined, db: Queryable = this.db): Promise<boolean> {
    const stamp = { dispatched: 'opened_at', repairing: 'repair_started_at', recovered: 'recovered_at', closed: 'closed_at' }[to];
    const { changes } = await db.run(
      `UPDATE maintenance_tickets SET state = ?, ${stamp} = ?, closed_by = CASE WHEN ? IN ('recovered', 'closed') THEN ? ELSE closed_by END,
              note = CASE WHEN ? IS NULL OR ? = '' THEN note WHEN note = '' THEN ? ELSE note || char(10) || ? END, updated_at = ?
       WHERE id = ? AND state = ?`,
      [to, at, to, by, note ?? null, note ?? null, note ?? null, note ?? null, at, id, from],
    );
    return changes === 1;
  }

  /** Tickets in an area (org path prefix), newest first, with the camera's current status and unit name. */
  async list(scopePath: string, q: TicketQuery): Promise<{ total: number; items: Ticket[] }> {
    const where = ['t.org_path >= ?', 't.org_path < ?'];
    const params: SqlValue[] = [scopePath, prefixUpperBound(scopePath)];
    if (q.state === 'open') where.push(`t.state IN ${OPEN}`);
    else if (q.state) (where.push('t.state = ?'), params.push(q.state));
    if (q.network) (where.push('t.network = ?'), params.push(q.network));
    if (q.cameraId) (where.push('t.camera_id = ?'), params.push(q.cameraId));
    const clause = where.join(' AND ');
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM maintenance_tickets t WHERE ${clause}`, params))?.n ?? 0;
    const rows = await this.db.all<TicketRecord & { cameraStatus: CameraStatus | null; orgUnitName: string | null }>(
      `SELECT ${COLUMNS}, c.status AS cameraStatus, u.name AS orgUnitName FROM maintenance_tickets t
       LEFT JOIN cameras c ON c.id = t.camera_id LEFT JOIN org_units u ON u.id = t.org_unit_id
       WHERE ${clause} ORDER BY t.state IN ${OPEN} DESC, t.id DESC LIMIT ? OFFSET ?`,
      [...params, q.limit ?? 100, q.offset ?? 0],
    );
    return { total, items: rows.map(({ orgPath: _p, ...r }) => ({ ...r, orgUnitName: r.orgUnitName ?? '' })) };
  }

  /** The ticket as the API shows it (camera status and unit name looked up now). */
  async present(id: number, db: Queryable = this.db): Promise<Ticket | undefined> {
    const row = await db.get<TicketRecord & { cameraStatus: CameraStatus | null; orgUnitName: string | null }>(
      `SELECT ${COLUMNS}, c.status AS cameraStatus, u.name AS orgUnitName FROM maintenance_tickets t
       LEFT JOIN cameras c ON c.id = t.camera_id LEFT JOIN org_units u ON u.id = t.org_unit_id WHERE t.id = ?`,
      [id],
    );
    if (!row) return undefined;
    const { orgPath: _p, ...r } = row;
    return { ...r, orgUnitName: r.orgUnitName ?? '' };
  }
}
