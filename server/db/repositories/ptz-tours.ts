import type { PtzTour, PtzTourStep } from '../../contracts/ptz';
import type { Queryable } from '../database';

interface Row { cameraId: number; steps: string; enabled: number; updatedBy: string; updatedAt: string }
const SELECT = 'SELECT camera_id AS cameraId, steps, enabled, updated_by AS updatedBy, updated_at AS updatedAt FROM ptz_tours';
const toTour = (r: Row): PtzTour => ({ ...r, steps: JSON.parse(r.steps) as PtzTourStep[], enabled: !!r.enabled });

/** PTZ preset tours (migration 016): one plan per camera. */
export class PtzTourRepository {
  constructor(private readonly db: Queryable) {}

  async get(cameraId: number, db: Queryable = this.db): Promise<PtzTour | undefined> {
    const row = await db.get<Row>(`${SELECT} WHERE camera_id = ?`, [cameraId]);
    return row && toTour(row);
  }

  async enabled(): Promise<PtzTour[]> {
    return (await this.db.all<Row>(`${SELECT} WHERE enabled = 1 ORDER BY camera_id`)).map(toTour);
  }

  async put(cameraId: number, tour: { steps: PtzTourStep[]; enabled: boolean; updatedBy: string }, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO ptz_tours (camera_id, steps, enabled, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(camera_id) DO UPDATE SET steps = excluded.steps, enabled = excluded.enabled,
         updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
      [cameraId, JSON.stringify(tour.steps), tour.enabled ? 1 : 0, tour.updatedBy, new Date().toISOString()],
    );
  }

  /** False when the camera had no tour. */
  async delete(cameraId: number, db: Queryable = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM ptz_tours WHERE camera_id = ?', [cameraId])).changes > 0;
  }
}
