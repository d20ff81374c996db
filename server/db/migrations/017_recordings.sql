-- Recording and live rewind (回看, issue #17). Segments stay exactly as the relay published them, appended into a
-- few files per camera stream (server/media/record/); these tables are the index of time → file/offset/size.
-- A sidecar journal next to each file (<file>.idx) is written after the bytes and before the row, so a restart
-- rebuilds any rows a kill -9 lost (server/media/record/recover.ts).

-- One media file: a ring file (live rewind, kept minutes) or a recording file (kept by retention).
CREATE TABLE recording_files (
  id INTEGER PRIMARY KEY,
  camera_id INTEGER NOT NULL,
  stream TEXT NOT NULL CHECK (stream IN ('main', 'sub')),
  kind TEXT NOT NULL CHECK (kind IN ('ring', 'record')),
  -- Relative to the recordings directory.
  path TEXT NOT NULL UNIQUE,
  format TEXT NOT NULL CHECK (format IN ('mpegts', 'cmaf')),
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  bytes INTEGER NOT NULL DEFAULT 0,
  -- 1 once the writer closed it cleanly; a start-up recovers only the unsealed ones (at most one per stream).
  sealed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX recording_files_camera ON recording_files(camera_id, stream, start_ms);
CREATE INDEX recording_files_age ON recording_files(kind, end_ms);

-- One segment inside a file. init_offset/init_size point at the CMAF init segment of its epoch (same file).
CREATE TABLE recording_segments (
  file_id INTEGER NOT NULL REFERENCES recording_files(id) ON DELETE CASCADE,
  start_ms INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  offset INTEGER NOT NULL,
  size INTEGER NOT NULL,
  epoch INTEGER NOT NULL,
  -- 1: a new timeline starts here (epoch change, reconnect, gap): EXT-X-DISCONTINUITY before it.
  discontinuity INTEGER NOT NULL DEFAULT 0,
  -- 1: a quick-start piece that does not start with a key frame.
  dependent INTEGER NOT NULL DEFAULT 0,
  init_offset INTEGER,
  init_size INTEGER,
  PRIMARY KEY (file_id, offset)
) WITHOUT ROWID;

-- Per camera: off / continuous. `schedule` (weekly 录像计划) and event recording are later modes that fit here:
-- mode 'schedule' with a JSON week mask, mode 'event' with pre/post roll.
CREATE TABLE camera_recording (
  camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  mode TEXT NOT NULL DEFAULT 'off' CHECK (mode IN ('off', 'continuous')),
  stream TEXT NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub')),
  retention_days INTEGER NOT NULL DEFAULT 7,
  schedule TEXT,
  updated_at TEXT NOT NULL
);

-- Locked ranges (evidence): retention and the disk quota never delete a file that overlaps one.
CREATE TABLE recording_locks (
  id INTEGER PRIMARY KEY,
  camera_id INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_by INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX recording_locks_camera ON recording_locks(camera_id, start_ms);
