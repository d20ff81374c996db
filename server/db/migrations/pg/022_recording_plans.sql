-- PostgreSQL twin of ../022_recording_plans.sql (same number, same resulting schema; see server/db/README.md).
-- Recording plans (issue #17): weekly schedule and event recording as modes of camera_recording, defaults per network
-- and per org unit, and evidence clips attached to hidden dangers. Rules in server/domain/recording-plan.ts.

-- The mode CHECK grows 'schedule' and 'event': PostgreSQL alters the constraint in place (SQLite rebuilds the table).
ALTER TABLE camera_recording DROP CONSTRAINT camera_recording_mode_check;
ALTER TABLE camera_recording ADD CONSTRAINT camera_recording_mode_check CHECK (mode IN ('off', 'continuous', 'schedule', 'event'));
ALTER TABLE camera_recording ADD COLUMN pre_roll_sec BIGINT NOT NULL DEFAULT 30;
ALTER TABLE camera_recording ADD COLUMN post_roll_sec BIGINT NOT NULL DEFAULT 30;

-- A default for every camera of a network (scope 'network', key = networks.key) or of an org unit's subtree (scope
-- 'unit', key = the unit id as text). A camera's own row wins, then the nearest unit up its path, then its network.
CREATE TABLE recording_defaults (
  scope TEXT NOT NULL CHECK (scope IN ('network', 'unit')),
  scope_key TEXT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('off', 'continuous', 'schedule', 'event')),
  stream TEXT NOT NULL DEFAULT 'main' CHECK (stream IN ('main', 'sub')),
  retention_days BIGINT NOT NULL DEFAULT 7,
  schedule TEXT,
  pre_roll_sec BIGINT NOT NULL DEFAULT 30,
  post_roll_sec BIGINT NOT NULL DEFAULT 30,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, scope_key)
);

-- The video clip of a danger tag: a locked range of the camera's stored video (see the SQLite file for the states).
CREATE TABLE danger_clips (
  danger_id BIGINT PRIMARY KEY REFERENCES dangers(id) ON DELETE CASCADE,
  camera_id BIGINT NOT NULL,
  start_ms BIGINT NOT NULL,
  end_ms BIGINT NOT NULL,
  lock_id BIGINT,
  state TEXT NOT NULL DEFAULT 'recording' CHECK (state IN ('recording', 'ready', 'missing')),
  sha256 TEXT,
  bytes BIGINT,
  segments BIGINT,
  created_at TEXT NOT NULL
);
CREATE INDEX danger_clips_pending ON danger_clips(state, end_ms);
