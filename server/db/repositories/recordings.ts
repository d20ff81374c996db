// The index of recorded and rewind segments (migration 017) and the per-camera recording settings and locks.
// The media side (server/media/record/) sees this through the RecordingIndex interface it declares; the SQL is here.
import type { Queryable } from '../database';

export type RecordKind = 'ring' | 'record';
export type RecordStream = 'main' | 'sub';

export interface RecordingFileRow {
  id: number;
  cameraId: number;
  stream: RecordStream;
  kind: RecordKind;
  path: string;
  format: 'mpegts' | 'cmaf';
  startMs: number;
  endMs: number;
  bytes: number;
  sealed: number;
}

export interface SegmentRow {
  fileId: number;
  startMs: number;
  durationMs: number;
  offset: number;
  size: number;
  epoch: number;
  discontinuity: boolean;
  dependent: boolean;
  initOffset: number | null;
  initSize: number | null;
}

export interface RecordingSettings {
  cameraId: number;
  mode: 'off' | 'continuous';
  stream: RecordStream;
  retentionDays: number;
}

export interface RecordingLock {
  id: number;
  cameraId: number;
  startMs: number;
  endMs: number;
  reason: string;
  createdBy: number | null;
  createdAt: string;
}

const FILE_COLS = `id, camera_id AS cameraId, stream, kind, path, format, start_ms AS startMs, end_ms AS endMs, bytes, sealed`;

export class RecordingRepository {
  constructor(private readonly db: Queryable & { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> }) {}

  async insertFile(f: Omit<RecordingFileRow, 'id' | 'endMs' | 'bytes' | 'sealed'>): Promise<number> {
    const r = await this.db.run(
      `INSERT INTO recording_files (camera_id, stream, kind, path, format, start_ms, end_ms, bytes, sealed) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0)`,
      [f.cameraId, f.stream, f.kind, f.path, f.format, f.startMs, f.startMs],
    );
    return r.lastID;
  }

  /** Many segments (of any files) in one transaction, each file's end and size moved with them. */
  async insertSegments(rows: SegmentRow[], files: { id: number; endMs: number; bytes: number; sealed: boolean }[]): Promise<void> {
    if (rows.length === 0 && files.length === 0) return;
    await this.db.transaction(async (tx) => {
      // Multi-row INSERTs: one round trip to node-sqlite3's thread per 200 rows, not per row (100 streams write
      // ~100 rows a second).
      for (let i = 0; i < rows.length; i += 200) {
        const chunk = rows.slice(i, i + 200);
        await tx.run(
          `INSERT OR IGNORE INTO recording_segments (file_id, start_ms, duration_ms, "offset", size, epoch, discontinuity, dependent, init_offset, init_size)
           VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
          chunk.flatMap((s) => [s.fileId, s.startMs, s.durationMs, s.offset, s.size, s.epoch, s.discontinuity ? 1 : 0, s.dependent ? 1 : 0, s.initOffset, s.initSize]),
        );
      }
      for (const f of files) {
        await tx.run('UPDATE recording_files SET end_ms = max(end_ms, ?), bytes = max(bytes, ?), sealed = max(sealed, ?) WHERE id = ?', [f.endMs, f.bytes, f.sealed ? 1 : 0, f.id]);
      }
    });
  }

  fileById(id: number): Promise<RecordingFileRow | undefined> {
    return this.db.get<RecordingFileRow>(`SELECT ${FILE_COLS} FROM recording_files WHERE id = ?`, [id]);
  }

  /** Files of a camera overlapping [fromMs, toMs), both kinds, oldest first. */
  filesOverlapping(cameraId: number, fromMs: number, toMs: number, stream?: RecordStream): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS} FROM recording_files WHERE camera_id = ? AND start_ms < ? AND end_ms > ?${stream ? ' AND stream = ?' : ''} ORDER BY start_ms`,
      stream ? [cameraId, toMs, fromMs, stream] : [cameraId, toMs, fromMs],
    );
  }

  async segmentsOf(fileIds: number[], fromMs: number, toMs: number): Promise<SegmentRow[]> {
    if (fileIds.length === 0) return [];
    const rows = await this.db.all<Omit<SegmentRow, 'discontinuity' | 'dependent'> & { discontinuity: number; dependent: number }>(
      `SELECT file_id AS fileId, start_ms AS startMs, duration_ms AS durationMs, "offset", size, epoch, discontinuity, dependent,
              init_offset AS initOffset, init_size AS initSize
       FROM recording_segments WHERE file_id IN (${fileIds.map(() => '?').join(',')}) AND start_ms < ? AND start_ms + duration_ms > ?
       ORDER BY start_ms, file_id`,
      [...fileIds, toMs, fromMs],
    );
    return rows.map((r) => ({ ...r, discontinuity: r.discontinuity === 1, dependent: r.dependent === 1 }));
  }

  /** The last indexed byte of a file (its recovery starts there). */
  async indexedEnd(fileId: number): Promise<number> {
    const row = await this.db.get<{ end: number | null }>('SELECT max("offset" + size) AS "end" FROM recording_segments WHERE file_id = ?', [fileId]);
    return row?.end ?? 0;
  }

  unsealed(): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(`SELECT ${FILE_COLS} FROM recording_files WHERE sealed = 0 ORDER BY id`);
  }

  async deleteFile(id: number): Promise<void> {
    await this.db.run('DELETE FROM recording_files WHERE id = ?', [id]);
  }

  /** Ring files of a stream that ended before `beforeMs` (live rewind keeps minutes only). */
  ringExpired(beforeMs: number, limit = 500): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS} FROM recording_files WHERE kind = 'ring' AND end_ms < ? AND sealed = 1 ORDER BY end_ms LIMIT ?`, [beforeMs, limit]);
  }

  /** Sealed recording files past their camera's retention, not overlapping a lock. */
  retentionExpired(nowMs: number, defaultDays: number, limit = 500): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS.split(', ').map((c) => `f.${c}`).join(', ')} FROM recording_files f
       LEFT JOIN camera_recording r ON r.camera_id = f.camera_id
       WHERE f.kind = 'record' AND f.sealed = 1 AND f.end_ms < ? - coalesce(r.retention_days, ?) * 86400000
         AND NOT EXISTS (SELECT 1 FROM recording_locks l WHERE l.camera_id = f.camera_id AND l.start_ms < f.end_ms AND l.end_ms > f.start_ms)
       ORDER BY f.end_ms LIMIT ?`,
      [nowMs, defaultDays, limit],
    );
  }

  /** Oldest sealed files not overlapping a lock, for the disk quota and the low-disk guard. */
  oldestUnlocked(limit: number): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS.split(', ').map((c) => `f.${c}`).join(', ')} FROM recording_files f
       WHERE f.sealed = 1
         AND NOT EXISTS (SELECT 1 FROM recording_locks l WHERE l.camera_id = f.camera_id AND l.start_ms < f.end_ms AND l.end_ms > f.start_ms)
       ORDER BY f.end_ms LIMIT ?`,
      [limit],
    );
  }

  async totalBytes(): Promise<number> {
    return (await this.db.get<{ n: number | null }>('SELECT sum(bytes) AS n FROM recording_files'))?.n ?? 0;
  }

  settings(cameraId: number): Promise<RecordingSettings | undefined> {
    return this.db.get<RecordingSettings>(
      'SELECT camera_id AS cameraId, mode, stream, retention_days AS retentionDays FROM camera_recording WHERE camera_id = ?', [cameraId]);
  }

  recorded(): Promise<RecordingSettings[]> {
    return this.db.all<RecordingSettings>(
      "SELECT camera_id AS cameraId, mode, stream, retention_days AS retentionDays FROM camera_recording WHERE mode <> 'off' ORDER BY camera_id");
  }

  async saveSettings(s: RecordingSettings, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO camera_recording (camera_id, mode, stream, retention_days, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(camera_id) DO UPDATE SET mode = excluded.mode, stream = excluded.stream, retention_days = excluded.retention_days, updated_at = excluded.updated_at`,
      [s.cameraId, s.mode, s.stream, s.retentionDays, new Date().toISOString()],
    );
  }

  async addLock(l: Omit<RecordingLock, 'id' | 'createdAt'>, db: Queryable = this.db): Promise<RecordingLock> {
    const createdAt = new Date().toISOString();
    const r = await db.run('INSERT INTO recording_locks (camera_id, start_ms, end_ms, reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [l.cameraId, l.startMs, l.endMs, l.reason, l.createdBy, createdAt]);
    return { ...l, id: r.lastID, createdAt };
  }

  locks(cameraId: number): Promise<RecordingLock[]> {
    return this.db.all<RecordingLock>(
      `SELECT id, camera_id AS cameraId, start_ms AS startMs, end_ms AS endMs, reason, created_by AS createdBy, created_at AS createdAt
       FROM recording_locks WHERE camera_id = ? ORDER BY start_ms`, [cameraId]);
  }
}
