import { prefixUpperBound } from '../../domain/scope';
import type { Queryable } from '../database';

export interface ShareLinkRecord {
  id: number;
  tokenHash: string;
  orgUnitId: number;
  orgUnitName: string;
  orgPath: string;
  label: string;
  cameraIds: number[];
  expiresAt: string;
  windowStart: string | null;
  windowEnd: string | null;
  maxDevices: number | null;
  maxViewers: number;
  /** Rewind residents may play, minutes (0: live only). */
  rewindMinutes: number;
  createdBy: string;
  /** The issuer's user id: a resident's report names them as its danger's created_by (they answer for the link). */
  createdById: number;
  createdAt: string;
  revokedAt: string | null;
  devices: number;
}

export type NewShareLinkRow = Pick<
  ShareLinkRecord,
  'tokenHash' | 'orgUnitId' | 'label' | 'cameraIds' | 'expiresAt' | 'windowStart' | 'windowEnd' | 'maxDevices' | 'maxViewers' | 'rewindMinutes'
> & { createdBy: number };

const SELECT = `
  SELECT l.id, l.token_hash AS tokenHash, l.org_unit_id AS orgUnitId, o.name AS orgUnitName, o.path AS orgPath, l.label,
         l.camera_ids AS cameraIds, l.expires_at AS expiresAt, l.window_start AS windowStart, l.window_end AS windowEnd,
         l.max_devices AS maxDevices, l.max_viewers AS maxViewers, l.rewind_minutes AS rewindMinutes, u.username AS createdBy, l.created_by AS createdById, l.created_at AS createdAt,
         l.revoked_at AS revokedAt, (SELECT count(*) FROM share_link_devices d WHERE d.link_id = l.id) AS devices
  FROM share_links l JOIN org_units o ON o.id = l.org_unit_id JOIN users u ON u.id = l.created_by`;

type Row = Omit<ShareLinkRecord, 'cameraIds'> & { cameraIds: string };
const toRecord = (row: Row): ShareLinkRecord => ({ ...row, cameraIds: JSON.parse(row.cameraIds) as number[] });

export class ShareLinkRepository {
  constructor(private readonly db: Queryable) {}

  async insert(link: NewShareLinkRow, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run(
      `INSERT INTO share_links (token_hash, org_unit_id, label, camera_ids, expires_at, window_start, window_end, max_devices, max_viewers,
                                rewind_minutes, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [link.tokenHash, link.orgUnitId, link.label, JSON.stringify(link.cameraIds), link.expiresAt, link.windowStart, link.windowEnd,
        link.maxDevices, link.maxViewers, link.rewindMinutes, link.createdBy, new Date().toISOString()],
    );
    return lastID;
  }

  async byId(id: number): Promise<ShareLinkRecord | undefined> {
    const row = await this.db.get<Row>(`${SELECT} WHERE l.id = ?`, [id]);
    return row && toRecord(row);
  }

  async byTokenHash(tokenHash: string): Promise<ShareLinkRecord | undefined> {
    const row = await this.db.get<Row>(`${SELECT} WHERE l.token_hash = ?`, [tokenHash]);
    return row && toRecord(row);
  }

  /** Links for units inside `path` (a unit's own links and its subtree's), newest first. */
  async list(path: string): Promise<ShareLinkRecord[]> {
    const rows = await this.db.all<Row>(`${SELECT} WHERE o.path >= ? AND o.path < ? ORDER BY l.id DESC`, [path, prefixUpperBound(path)]);
    return rows.map(toRecord);
  }

  async revoke(id: number, userId: number, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run('UPDATE share_links SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL', [
      new Date().toISOString(), userId, id,
    ]);
    return changes > 0;
  }

  /** Records a device opening the link; returns whether it is new and how many devices the link has now. */
  async touchDevice(linkId: number, deviceHash: string, db: Queryable = this.db): Promise<{ isNew: boolean; devices: number }> {
    const now = new Date().toISOString();
    const { changes } = await db.run(
      'UPDATE share_link_devices SET last_seen = ?, opens = opens + 1 WHERE link_id = ? AND device_hash = ?',
      [now, linkId, deviceHash],
    );
    if (changes === 0) {
      await db.run('INSERT INTO share_link_devices (link_id, device_hash, first_seen, last_seen) VALUES (?, ?, ?, ?)', [linkId, deviceHash, now, now]);
    }
    return { isNew: changes === 0, devices: await this.deviceCount(linkId, db) };
  }

  async deviceCount(linkId: number, db: Queryable = this.db): Promise<number> {
    return (await db.get<{ n: number }>('SELECT count(*) AS n FROM share_link_devices WHERE link_id = ?', [linkId]))?.n ?? 0;
  }

  async knowsDevice(linkId: number, deviceHash: string, db: Queryable = this.db): Promise<boolean> {
    return !!(await db.get('SELECT 1 FROM share_link_devices WHERE link_id = ? AND device_hash = ?', [linkId, deviceHash]));
  }
}
