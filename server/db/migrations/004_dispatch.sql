-- Hidden dangers (治安隐患), the tasks that carry them down the org tree, their history, and wall pushes.
-- Statistics read these same tables, so every view of the numbers agrees with the workflow.

-- Camera name, network and location are copied at tagging time: the tag keeps its meaning if the camera is later
-- renamed or moved. org_path is the camera's unit path then: the danger's location, which decides who sees it.
CREATE TABLE dangers (
  id                 INTEGER PRIMARY KEY,
  camera_id          INTEGER NOT NULL REFERENCES cameras(id),
  camera_name        TEXT NOT NULL,
  network            TEXT NOT NULL,
  org_unit_id        INTEGER NOT NULL REFERENCES org_units(id),
  org_path           TEXT NOT NULL,
  lat                REAL,
  lng                REAL,
  address            TEXT NOT NULL DEFAULT '',
  captured_at        TEXT NOT NULL,
  category           TEXT NOT NULL,
  severity           TEXT NOT NULL CHECK (severity IN ('general', 'major', 'critical')),
  note               TEXT NOT NULL DEFAULT '',
  evidence_sha256    TEXT NOT NULL,
  evidence_bytes     INTEGER NOT NULL,
  status             TEXT NOT NULL DEFAULT 'reported'
                     CHECK (status IN ('reported', 'dispatched', 'accepted', 'handling', 'resolved', 'closed', 'returned', 'escalated')),
  owner_unit_id      INTEGER NOT NULL REFERENCES org_units(id),  -- the reporter's unit: it (or a unit above) dispatches
  owner_path         TEXT NOT NULL,
  current_task_id    INTEGER,                                     -- latest top-level task
  created_by         INTEGER NOT NULL REFERENCES users(id),
  created_by_name    TEXT NOT NULL,
  created_at         TEXT NOT NULL,
  -- Milestones for statistics, written by the workflow in the same transaction as the state change.
  first_dispatched_at TEXT,
  first_accepted_at   TEXT,
  closed_at           TEXT,
  updated_at          TEXT NOT NULL
);
CREATE INDEX dangers_org_path_created ON dangers(org_path, created_at);
CREATE INDEX dangers_created ON dangers(created_at);

-- One assignment from a unit to a direct subordinate unit; a township's re-dispatch is a child task.
CREATE TABLE tasks (
  id                     INTEGER PRIMARY KEY,
  danger_id              INTEGER NOT NULL REFERENCES dangers(id),
  parent_id              INTEGER REFERENCES tasks(id),
  from_unit_id           INTEGER NOT NULL REFERENCES org_units(id),
  from_path              TEXT NOT NULL,
  to_unit_id             INTEGER NOT NULL REFERENCES org_units(id),
  to_path                TEXT NOT NULL,
  status                 TEXT NOT NULL
                         CHECK (status IN ('dispatched', 'accepted', 'delegated', 'handling', 'resolved', 'closed', 'returned', 'escalated')),
  deadline               TEXT NOT NULL,
  note                   TEXT NOT NULL DEFAULT '',
  dispatched_by          INTEGER NOT NULL REFERENCES users(id),
  dispatched_by_name     TEXT NOT NULL,
  dispatched_at          TEXT NOT NULL,
  accepted_at            TEXT,
  resolved_at            TEXT,
  closed_at              TEXT,
  returned_at            TEXT,
  escalated_at           TEXT,
  overdue_at             TEXT,
  feedback               TEXT,
  feedback_photo_sha256  TEXT,
  return_reason          TEXT,
  updated_at             TEXT NOT NULL
);
CREATE INDEX tasks_to_path ON tasks(to_path, status);
CREATE INDEX tasks_danger ON tasks(danger_id);
CREATE INDEX tasks_parent ON tasks(parent_id);
-- The overdue scanner's question: open, not yet marked, deadline passed.
CREATE INDEX tasks_open_deadline ON tasks(deadline) WHERE overdue_at IS NULL AND status IN ('dispatched', 'accepted', 'delegated', 'handling');

-- Every transition with actor, time and note, written in the same transaction as the state change.
CREATE TABLE danger_history (
  id              INTEGER PRIMARY KEY,
  danger_id       INTEGER NOT NULL REFERENCES dangers(id),
  task_id         INTEGER REFERENCES tasks(id),
  at              TEXT NOT NULL,
  action          TEXT NOT NULL,
  from_status     TEXT,
  to_status       TEXT,
  actor_type      TEXT NOT NULL CHECK (actor_type IN ('user', 'system')),
  actor_id        INTEGER,
  actor_name      TEXT,
  actor_unit_id   INTEGER REFERENCES org_units(id),
  note            TEXT NOT NULL DEFAULT ''
);
CREATE INDEX danger_history_danger ON danger_history(danger_id, id);

-- 视频调度: a set of cameras pushed to a subordinate unit's wall, with the reason.
CREATE TABLE layout_pushes (
  id                INTEGER PRIMARY KEY,
  from_unit_id      INTEGER NOT NULL REFERENCES org_units(id),
  to_unit_id        INTEGER NOT NULL REFERENCES org_units(id),
  to_path           TEXT NOT NULL,
  sent_by           INTEGER NOT NULL REFERENCES users(id),
  sent_by_name      TEXT NOT NULL,
  camera_ids        TEXT NOT NULL,   -- JSON array, in wall order
  note              TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'dismissed')),
  created_at        TEXT NOT NULL,
  answered_at       TEXT,
  answered_by_name  TEXT
);
CREATE INDEX layout_pushes_to ON layout_pushes(to_unit_id, status, id);
CREATE INDEX layout_pushes_from ON layout_pushes(from_unit_id, id);
