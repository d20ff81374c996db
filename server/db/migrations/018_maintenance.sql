-- Cameras that stay dark → maintenance tickets (运维工单, issue #21), and the status history availability is
-- computed from.

-- When the camera's status last changed: "offline for longer than the threshold" is a range scan on this.
-- Cameras already offline count from when they were last seen (or added), the best fact there is.
ALTER TABLE cameras ADD COLUMN status_changed_at TEXT;
UPDATE cameras SET status_changed_at = coalesce(last_seen_at, created_at);
CREATE INDEX cameras_offline_since ON cameras(status_changed_at) WHERE status = 'offline';

-- Status changes only (not every check): a county of 100,000 cameras checked every 10 minutes writes a row per
-- change, not 14 million rows a day. 在线率 over a date range is the online share of the observed time in it.
-- CameraRepository.setStatus writes a row when the status changes; this is the state each history starts from.
CREATE TABLE camera_status_log (
  id         INTEGER PRIMARY KEY,
  camera_id  INTEGER NOT NULL,
  at         TEXT NOT NULL,
  status     TEXT NOT NULL CHECK (status IN ('online', 'offline', 'unknown'))
);
CREATE INDEX camera_status_log_camera ON camera_status_log(camera_id, at);
INSERT INTO camera_status_log (camera_id, at, status) SELECT id, status_changed_at, status FROM cameras;

-- The unit that maintains each network's cameras (the carrier or contractor) and whom to call; admins edit it.
CREATE TABLE network_maintainers (
  network     TEXT PRIMARY KEY REFERENCES networks(key) ON DELETE CASCADE,
  unit_name   TEXT NOT NULL,
  contact     TEXT NOT NULL DEFAULT '',
  phone       TEXT NOT NULL DEFAULT '',
  updated_at  TEXT NOT NULL
);

-- One ticket per outage. The unit and contact are copied at opening: the ticket says whom it went to even after
-- the network's maintainer changes. camera_id is not a foreign key: a deleted camera keeps its ticket history
-- (its open tickets are closed by the sweep).
CREATE TABLE maintenance_tickets (
  id                 INTEGER PRIMARY KEY,
  camera_id          INTEGER NOT NULL,
  camera_name        TEXT NOT NULL,
  network            TEXT NOT NULL,
  org_unit_id        INTEGER NOT NULL,
  org_path           TEXT NOT NULL,
  state              TEXT NOT NULL CHECK (state IN ('dispatched', 'repairing', 'recovered', 'closed')),
  origin             TEXT NOT NULL CHECK (origin IN ('offline', 'picture')),
  reason             TEXT,
  note               TEXT NOT NULL DEFAULT '',
  unit_name          TEXT NOT NULL,
  contact            TEXT NOT NULL DEFAULT '',
  phone              TEXT NOT NULL DEFAULT '',
  opened_at          TEXT NOT NULL,
  opened_by          TEXT NOT NULL,
  repair_started_at  TEXT,
  recovered_at       TEXT,
  closed_at          TEXT,
  closed_by          TEXT,
  updated_at         TEXT NOT NULL
);
-- At most one open ticket per camera, whatever opens it (the sweep, a patrol, a user).
CREATE UNIQUE INDEX maintenance_tickets_one_open ON maintenance_tickets(camera_id) WHERE state IN ('dispatched', 'repairing');
CREATE INDEX maintenance_tickets_path ON maintenance_tickets(org_path, state);
