// The index of recorded and rewind segments (migration 017) and the per-camera recording settings and locks.
// The media side (server/media/record/) sees this through the RecordingIndex interface it declares; the SQL is here.
import type { Queryable } from '../database';
import type { RecordingMode, WeeklyPlan } from '../../domain/recording-plan';

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

/** A recording plan as stored (camera_recording, recording_defaults); `schedule` parsed from its JSON. */
export interface StoredPlan {
  mode: RecordingMode;
  stream: RecordStream;
  retentionDays: number;
  schedule: WeeklyPlan | null;
  preRollSec: number;
  postRollSec: number;
}

export interface RecordingSettings extends StoredPlan {
  cameraId: number;
}

export interface RecordingDefault extends StoredPlan {
  scope: 'network' | 'unit';
  key: string;
  updatedAt: string;
}

export interface DangerClipRow {
  dangerId: number;
  cameraId: number;
  startMs: number;
  endMs: number;
  lockId: number | null;
  state: 'recording' | 'ready' | 'missing';
  sha256: string | null;
  bytes: number | null;
  segments: number | null;
}

const PLAN_COLS = 'mode, stream, retention_days AS retentionDays, schedule, pre_roll_sec AS preRollSec, post_roll_sec AS postRollSec';
const CLIP_COLS = `danger_id AS dangerId, camera_id AS cameraId, start_ms AS startMs, end_ms AS endMs, lock_id AS lockId, state, sha256, bytes, segments`;

function parsePlan<T extends { schedule: unknown }>(row: T): Omit<T, 'schedule'> & { schedule: WeeklyPlan | null } {
  const raw = row.schedule;
  let schedule: WeeklyPlan | null = null;
  if (typeof raw === 'string' && raw) {
    try { schedule = JSON.parse(raw) as WeeklyPlan; } catch { schedule = null; /* a hand-edited row: treated as no plan */ }
  }
  return { ...row, schedule };
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

  /** Many files (and, by cascade, their segments) in one transaction: the janitor's batches. A statement per
   * file was a commit per file — 1,667 commits for 1M segments. */
  async deleteFiles(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        const list = chunk.map(() => '?').join(',');
        // The segments by their primary key's prefix first: the same rows the cascade would delete, without a
        // foreign-key action per parent row.
        await tx.run(`DELETE FROM recording_segments WHERE file_id IN (${list})`, chunk);
        await tx.run(`DELETE FROM recording_files WHERE id IN (${list})`, chunk);
      }
    });
  }

  /** Ring files of a stream that ended before `beforeMs` (live rewind keeps minutes only). */
  ringExpired(beforeMs: number, limit = 500): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS} FROM recording_files WHERE kind = 'ring' AND end_ms < ? AND sealed = 1 ORDER BY end_ms LIMIT ?`, [beforeMs, limit]);
  }

  /** Sealed recording files past their camera's retention, not overlapping a lock. The retention is the effective
   * plan's (server/domain/recording-plan.ts): the camera's own, else its nearest unit's default (the unit id deepest
   * in its org path), else its network's, else `defaultDays`. */
  retentionExpired(nowMs: number, defaultDays: number, limit = 500): Promise<RecordingFileRow[]> {
    return this.db.all<RecordingFileRow>(
      `SELECT ${FILE_COLS.split(', ').map((c) => `f.${c}`).join(', ')} FROM recording_files f
       LEFT JOIN camera_recording r ON r.camera_id = f.camera_id
       LEFT JOIN cameras c ON c.id = f.camera_id
       WHERE f.kind = 'record' AND f.sealed = 1 AND f.end_ms < ? - coalesce(
           r.retention_days,
           (SELECT d.retention_days FROM recording_defaults d WHERE d.scope = 'unit' AND instr(c.org_path, '/' || d.scope_key || '/') > 0
             ORDER BY instr(c.org_path, '/' || d.scope_key || '/') DESC LIMIT 1),
           (SELECT d.retention_days FROM recording_defaults d WHERE d.scope = 'network' AND d.scope_key = c.network),
           ?) * 86400000
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

  async settings(cameraId: number): Promise<RecordingSettings | undefined> {
    const row = await this.db.get<RecordingSettings & { schedule: string | null }>(
      `SELECT camera_id AS cameraId, ${PLAN_COLS} FROM camera_recording WHERE camera_id = ?`, [cameraId]);
    return row && parsePlan(row);
  }

  /** Every camera's own setting that is not off. */
  async recorded(): Promise<RecordingSettings[]> {
    const rows = await this.db.all<RecordingSettings & { schedule: string | null }>(
      `SELECT camera_id AS cameraId, ${PLAN_COLS} FROM camera_recording WHERE mode <> 'off' ORDER BY camera_id`);
    return rows.map(parsePlan);
  }

  async saveSettings(s: RecordingSettings, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO camera_recording (camera_id, mode, stream, retention_days, schedule, pre_roll_sec, post_roll_sec, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(camera_id) DO UPDATE SET mode = excluded.mode, stream = excluded.stream, retention_days = excluded.retention_days,
         schedule = excluded.schedule, pre_roll_sec = excluded.pre_roll_sec, post_roll_sec = excluded.post_roll_sec, updated_at = excluded.updated_at`,
      [s.cameraId, s.mode, s.stream, s.retentionDays, s.schedule ? JSON.stringify(s.schedule) : null, s.preRollSec, s.postRollSec, new Date().toISOString()],
    );
  }

  async allSettings(): Promise<RecordingSettings[]> {
    const rows = await this.db.all<RecordingSettings & { schedule: string | null }>(`SELECT camera_id AS cameraId, ${PLAN_COLS} FROM camera_recording`);
    return rows.map(parsePlan);
  }

  /** Where cameras sit (network, org path), for their effective plan: all of them, or the ones named. */
  async cameraPlacements(ids?: number[]): Promise<{ id: number; network: string; orgPath: string }[]> {
    if (ids && ids.length === 0) return [];
    if (!ids) return this.db.all('SELECT id, network, org_path AS orgPath FROM cameras ORDER BY id');
    const out: { id: number; network: string; orgPath: string }[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      out.push(...await this.db.all<{ id: number; network: string; orgPath: string }>(
        `SELECT id, network, org_path AS orgPath FROM cameras WHERE id IN (${chunk.map(() => '?').join(',')})`, chunk));
    }
    return out;
  }

  async networkExists(key: string): Promise<boolean> {
    return !!(await this.db.get('SELECT 1 AS x FROM networks WHERE key = ?', [key]));
  }

  /** The camera follows its unit's or network's default again. */
  async clearSettings(cameraId: number, db: Queryable = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM camera_recording WHERE camera_id = ?', [cameraId])).changes > 0;
  }

  async defaults(): Promise<RecordingDefault[]> {
    const rows = await this.db.all<RecordingDefault & { schedule: string | null }>(
      `SELECT scope, scope_key AS key, ${PLAN_COLS}, updated_at AS updatedAt FROM recording_defaults ORDER BY scope, scope_key`);
    return rows.map(parsePlan);
  }

  async saveDefault(d: Omit<RecordingDefault, 'updatedAt'>, db: Queryable = this.db): Promise<void> {
    await db.run(
      `INSERT INTO recording_defaults (scope, scope_key, mode, stream, retention_days, schedule, pre_roll_sec, post_roll_sec, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(scope, scope_key) DO UPDATE SET mode = excluded.mode, stream = excluded.stream, retention_days = excluded.retention_days,
         schedule = excluded.schedule, pre_roll_sec = excluded.pre_roll_sec, post_roll_sec = excluded.post_roll_sec, updated_at = excluded.updated_at`,
      [d.scope, d.key, d.mode, d.stream, d.retentionDays, d.schedule ? JSON.stringify(d.schedule) : null, d.preRollSec, d.postRollSec, new Date().toISOString()],
    );
  }

  async deleteDefault(scope: 'network' | 'unit', key: string, db: Queryable = this.db): Promise<boolean> {
    return (await db.run('DELETE FROM recording_defaults WHERE scope = ? AND scope_key = ?', [scope, key])).changes > 0;
  }

  /** Ring files of a camera overlapping [fromMs, toMs) become recordings (an event's pre-roll, an evidence clip's
   * past): the ring pruner no longer takes them, retention and locks do. The file being written (unsealed) counts
   * whatever its last flushed end says. Returns how many files were marked. */
  async markRecorded(cameraId: number, fromMs: number, toMs: number): Promise<number> {
    const r = await this.db.run(
      `UPDATE recording_files SET kind = 'record' WHERE camera_id = ? AND kind = 'ring' AND start_ms < ? AND (end_ms > ? OR sealed = 0)`,
      [cameraId, toMs, fromMs]);
    return r.changes;
  }

  async insertClip(c: Omit<DangerClipRow, 'state' | 'sha256' | 'bytes' | 'segments'>, db: Queryable = this.db): Promise<void> {
    await db.run('INSERT INTO danger_clips (danger_id, camera_id, start_ms, end_ms, lock_id, state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [c.dangerId, c.cameraId, c.startMs, c.endMs, c.lockId, 'recording', new Date().toISOString()]);
  }

  clipOf(dangerId: number, db: Queryable = this.db): Promise<DangerClipRow | undefined> {
    return db.get<DangerClipRow>(`SELECT ${CLIP_COLS} FROM danger_clips WHERE danger_id = ?`, [dangerId]);
  }

  /** Clips whose post-roll ended before `beforeMs` and that are not hashed yet. */
  pendingClips(beforeMs: number, limit = 50): Promise<DangerClipRow[]> {
    return this.db.all<DangerClipRow>(`SELECT ${CLIP_COLS} FROM danger_clips WHERE state = 'recording' AND end_ms < ? ORDER BY end_ms LIMIT ?`, [beforeMs, limit]);
  }

  async finishClip(dangerId: number, r: { state: 'ready' | 'missing'; sha256: string | null; bytes: number | null; segments: number }): Promise<void> {
    await this.db.run('UPDATE danger_clips SET state = ?, sha256 = ?, bytes = ?, segments = ? WHERE danger_id = ?', [r.state, r.sha256, r.bytes, r.segments, dangerId]);
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
