// 随手拍: one row per resident report (link, device hash, the danger it became). Read for the rate limits and for
// the resident's own list, which joins the danger only for what a resident may be told.
import type { DangerStatus } from '../../contracts/dispatch';
import type { RecheckStatus } from '../../domain/closure-rules';
import type { Queryable } from '../database';

export interface ResidentReportRow {
  id: number;
  dangerId: number;
  cameraId: number;
  cameraName: string;
  category: string;
  createdAt: string;
  /** For the received / handled rule (closure-rules.ts residentReportStatus); never shown as such. */
  status: DangerStatus;
  recheckStatus: RecheckStatus | null;
}

export class ResidentReportRepository {
  constructor(private readonly db: Queryable) {}

  async insert(r: { linkId: number; device: string; dangerId: number; at: string }, db: Queryable = this.db): Promise<number> {
    const { lastID } = await db.run('INSERT INTO resident_reports (link_id, device, danger_id, created_at) VALUES (?, ?, ?, ?)', [
      r.linkId, r.device, r.dangerId, r.at,
    ]);
    return lastID;
  }

  /** Reports since `since` by this device on this link, and by every device on the link. */
  async counts(linkId: number, device: string, since: string, db: Queryable = this.db): Promise<{ byDevice: number; byLink: number }> {
    const row = await db.get<{ byDevice: number; byLink: number }>(
      `SELECT coalesce(sum(device = ?), 0) AS byDevice, count(*) AS byLink FROM resident_reports WHERE link_id = ? AND created_at >= ?`,
      [device, linkId, since],
    );
    return row ?? { byDevice: 0, byLink: 0 };
  }

  /** One device's own reports through one link, newest first. */
  own(linkId: number, device: string, limit = 50): Promise<ResidentReportRow[]> {
    return this.db.all<ResidentReportRow>(
      `SELECT r.id, r.danger_id AS dangerId, d.camera_id AS cameraId, d.camera_name AS cameraName, d.category, r.created_at AS createdAt,
              d.status, d.recheck_status AS recheckStatus
       FROM resident_reports r JOIN dangers d ON d.id = r.danger_id
       WHERE r.link_id = ? AND r.device = ? ORDER BY r.id DESC LIMIT ?`,
      [linkId, device, limit],
    );
  }
}
