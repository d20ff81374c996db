-- 视频巡查 (video patrol, issue #21). A plan names cameras, shifts and a dwell; the scheduler turns each shift into a
-- run for the plan's unit; operators of that unit (or above) run it camera by camera and mark each one. Plans and
-- runs name their unit by id only (no copied org path), so moving a unit needs no rewrite here.
CREATE TABLE patrol_plans (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  org_unit_id   INTEGER NOT NULL REFERENCES org_units(id), -- who runs it; every camera lies inside this unit
  camera_ids    TEXT NOT NULL,                             -- JSON array, in patrol order
  shifts        TEXT NOT NULL,                             -- JSON array of "HH:MM" (Beijing time)
  weekdays      INTEGER NOT NULL DEFAULT 127,              -- bit mask, Monday = 1 … Sunday = 64
  dwell_sec     INTEGER NOT NULL DEFAULT 20,
  window_min    INTEGER NOT NULL DEFAULT 120,              -- a run is overdue this long after it fell due
  active        INTEGER NOT NULL DEFAULT 1,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  deleted_at    TEXT                                       -- plans are kept for their runs' statistics
);
CREATE INDEX patrol_plans_unit ON patrol_plans(org_unit_id);

CREATE TABLE patrol_runs (
  id             INTEGER PRIMARY KEY,
  plan_id        INTEGER NOT NULL REFERENCES patrol_plans(id),
  org_unit_id    INTEGER NOT NULL REFERENCES org_units(id),
  camera_ids     TEXT NOT NULL,                            -- the plan's cameras when the run fell due
  dwell_sec      INTEGER NOT NULL,
  due_at         TEXT NOT NULL,
  deadline       TEXT NOT NULL,
  state          TEXT NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'running', 'paused', 'completed')),
  operator_id    INTEGER REFERENCES users(id),             -- who runs it now (start, handover)
  operator_name  TEXT,
  started_at     TEXT,
  completed_at   TEXT,
  overdue_at     TEXT,                                     -- set once by the overdue scanner
  UNIQUE (plan_id, due_at)
);
CREATE INDEX patrol_runs_unit_due ON patrol_runs(org_unit_id, due_at);
CREATE INDEX patrol_runs_open ON patrol_runs(state, deadline) WHERE state <> 'completed';

-- One mark per camera of a run. played_sec comes from the player (seconds the video actually advanced), the frame
-- is the one the operator saw, stored like danger evidence (content-addressed JPEG).
CREATE TABLE patrol_marks (
  run_id         INTEGER NOT NULL REFERENCES patrol_runs(id),
  camera_id      INTEGER NOT NULL,
  result         TEXT NOT NULL CHECK (result IN ('normal', 'danger', 'abnormal')),
  played_sec     REAL NOT NULL,
  frame_sha256   TEXT,
  danger_id      INTEGER REFERENCES dangers(id),
  note           TEXT NOT NULL DEFAULT '',
  marked_by      INTEGER NOT NULL REFERENCES users(id),
  marked_by_name TEXT NOT NULL,
  marked_at      TEXT NOT NULL,
  PRIMARY KEY (run_id, camera_id)
);
