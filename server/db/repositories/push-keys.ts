import type { Queryable } from '../database';

export interface PushKeyRow {
  cameraId: number;
  createdAt: string;
  revokedAt: string | null;
}

/** Stream keys of pushed (RTMP) cameras, by keyed hash only (migration 021). */
export class PushKeyRepository {
  constructor(private readonly db: Queryable) {}

  /** Issues (or replaces, on rotation) a camera's key; a rotated key is active again. */
  async set(cameraId: number, keyHash: string, userId: number | null, db: Queryable = this.db): Promise<void> {
    const now = new Date().toISOString();
    await db.run(
      `INSERT INTO push_keys (camera_id, key_hash, created_by, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(camera_id) DO UPDATE SET key_hash = excluded.key_hash, created_by = excluded.created_by,
         created_at = excluded.created_at, revoked_at = NULL, revoked_by = NULL`,
      [cameraId, keyHash, userId, now],
    );
  }

  /** False when the camera has no key or it was already revoked. */
  async revoke(cameraId: number, userId: number, db: Queryable = this.db): Promise<boolean> {
    const { changes } = await db.run(
      'UPDATE push_keys SET revoked_at = ?, revoked_by = ? WHERE camera_id = ? AND revoked_at IS NULL',
      [new Date().toISOString(), userId, cameraId],
    );
    return changes > 0;
  }

  async byHash(keyHash: string, db: Queryable = this.db): Promise<PushKeyRow | undefined> {
    return db.get<PushKeyRow>(
      'SELECT camera_id AS cameraId, created_at AS createdAt, revoked_at AS revokedAt FROM push_keys WHERE key_hash = ?',
      [keyHash],
    );
  }

  async byCamera(cameraId: number, db: Queryable = this.db): Promise<PushKeyRow | undefined> {
    return db.get<PushKeyRow>(
      'SELECT camera_id AS cameraId, created_at AS createdAt, revoked_at AS revokedAt FROM push_keys WHERE camera_id = ?',
      [cameraId],
    );
  }

  /** Keys of the pushed cameras under an org path (the caller's scope), with the camera's name and unit. */
  async list(path: string, upper: string, db: Queryable = this.db): Promise<(PushKeyRow & { name: string; orgUnitId: number; orgUnitName: string; status: string })[]> {
    return db.all(
      `SELECT k.camera_id AS cameraId, k.created_at AS createdAt, k.revoked_at AS revokedAt, c.name, c.org_unit_id AS orgUnitId,
              u.name AS orgUnitName, c.status
       FROM push_keys k JOIN cameras c ON c.id = k.camera_id JOIN org_units u ON u.id = c.org_unit_id WHERE c.org_path >= ? AND c.org_path < ? ORDER BY k.camera_id`,
      [path, upper],
    );
  }
}
