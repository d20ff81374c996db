-- Recording plans (issue #17): weekly schedule and event recording as modes of camera_recording, defaults per network
-- and per org unit, and evidence clips attached to hidden dangers. Rules in server/domain/recording-plan.ts.

-- The mode CHECK grows 'schedule' and 'event': SQLite cannot alter a CHECK, so the table is rebuilt (nothing refers
-- to it). `schedule` is the weekly plan as JSON ({"days": [[{"from":"08:00","to":"18:00"}], …]}, Monday first).
CREATE TABLE camera_recording_new (
  camera_id INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  mode TEXT NOT NULL DEFAULT 'off' CHECK (mode IN ('off', 'continuous', 'schedule', 'event')),
  stream TEXT NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub')),
  retention_days INTEGER NOT NULL DEFAULT 7,
  schedule TEXT,
  pre_roll_sec INTEGER NOT NULL DEFAULT 30,
  post_roll_sec INTEGER NOT NULL DEFAULT 30,
  updated_at TEXT NOT NULL
);
INSERT INTO camera_recording_new (camera_id, mode, stream, retention_days, schedule, updated_at)
  SELECT camera_id, mode, stream, retention_days, schedule, updated_at FROM camera_recording;
DROP TABLE camera_recording;
ALTER TABLE camera_recording_new RENAME TO camera_recording;

-- A default for every camera of a network (scope 'network', key = networks.key) or of an org unit's subtree (scope
-- 'unit', key = the unit id as text). A camera's own row wins, then the nearest unit up its path, then its network.
CREATE TABLE recording_defaults (
  scope TEXT NOT NULL CHECK (scope IN ('network', 'unit')),
  scope_key TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('off', 'continuous', 'schedule', 'event')),
  stream TEXT NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub')),
  retention_days INTEGER NOT NULL DEFAULT 7,
  schedule TEXT,
  pre_roll_sec INTEGER NOT NULL DEFAULT 30,
  post_roll_sec INTEGER NOT NULL DEFAULT 30,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, scope_key)
);

-- The video clip of a danger tag: a locked range of the camera's stored video (its recording_locks row keeps it
-- past retention). 'recording' while the post-roll is still being written; 'ready' once hashed: sha256 over the
-- stored segment bytes of the range in order (as a frame's hash is over its JPEG), so anyone can check that the
-- clip later played is the one that was tagged; 'missing' when no video of the range was stored.
CREATE TABLE danger_clips (
  danger_id INTEGER PRIMARY KEY REFERENCES dangers(id) ON DELETE CASCADE,
  camera_id INTEGER NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  lock_id INTEGER,
  state TEXT NOT NULL DEFAULT 'recording' CHECK (state IN ('recording', 'ready', 'missing')),
  sha256 TEXT,
  bytes INTEGER,
  segments INTEGER,
  created_at TEXT NOT NULL
);
CREATE INDEX danger_clips_pending ON danger_clips(state, end_ms);
