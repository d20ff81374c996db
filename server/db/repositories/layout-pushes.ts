import type { LayoutPush, LayoutPushQuery, LayoutPushStatus } from '../../contracts/dispatch';
import type { Params, Queryable } from '../database';

export interface NewLayoutPush {
  fromUnitId: number;
  toUnitId: number;
  toPath: string;
  sentBy: number;
  sentByName: string;
  cameraIds: number[];
  note: string;
  at: string;
}

export interface LayoutPushRecord extends LayoutPush {
  toPath: string;
}

type Row = Omit<LayoutPushRecord, 'cameraIds'> & { cameraIds: string };

const SELECT = `
  SELECT p.id, p.from_unit_id AS fromUnitId, f.name AS fromUnitName, p.to_unit_id AS toUnitId, o.name AS toUnitName, p.to_path AS toPath,
         p.sent_by_name AS sentBy, p.camera_ids AS cameraIds, p.note, p.status, p.created_at AS createdAt, p.answered_at AS answeredAt,
         p.answered_by_name AS answeredBy
  FROM layout_pushes p JOIN org_units f ON f.id = p.from_unit_id JOIN org_units o ON o.id = p.to_unit_id`;

const toPush = (row: Row): LayoutPushRecord => ({ ...row, cameraIds: JSON.parse(row.cameraIds) as number[] });

export function publicPush({ toPath: _p, ...push }: LayoutPushRecord): LayoutPush {
  return push;
}

export class LayoutPushRepository {
  constructor(private readonly db: Queryable) {}

  async insert(p: NewLayoutPush, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO layout_pushes (from_unit_id, to_unit_id, to_path, sent_by, sent_by_name, camera_ids, note, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [p.fromUnitId, p.toUnitId, p.toPath, p.sentBy, p.sentByName, JSON.stringify(p.cameraIds), p.note, p.at],
    );
    return lastID;
  }

  async byId(id: number, db: Queryable = this.db): Promise<LayoutPushRecord | undefined> {
    const row = await db.get<Row>(`${SELECT} WHERE p.id = ?`, [id]);
    return row && toPush(row);
  }

  /** Answers a pending push; false when it was no longer pending. */
  async answer(id: number, status: Exclude<LayoutPushStatus, 'pending'>, by: string, at: string, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      "UPDATE layout_pushes SET status = ?, answered_at = ?, answered_by_name = ? WHERE id = ? AND status = 'pending'",
      [status, at, by, id],
    );
    return changes === 1;
  }

  /** The unit's inbox (pushed to it) or outbox (pushed by it), newest first. */
  async list(unitId: number, query: LayoutPushQuery): Promise<{ items: LayoutPush[]; total: number }> {
    const where = [query.box === 'outbox' ? 'p.from_unit_id = ?' : 'p.to_unit_id = ?'];
    const params: Params = [unitId];
    if (query.status) {
      where.push('p.status = ?');
      params.push(query.status);
    }
    const clause = where.join(' AND ');
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM layout_pushes p WHERE ${clause}`, params))?.n ?? 0;
    const rows = await this.db.all<Row>(`${SELECT} WHERE ${clause} ORDER BY p.id DESC LIMIT ? OFFSET ?`, [...params, query.limit ?? 50, query.offset ?? 0]);
    return { items: rows.map((r) => publicPush(toPush(r))), total };
  }
}
