-- Foundation schema: org tree, camera networks, cameras (credentials apart), users, sessions, audit log.

CREATE TABLE networks (
  key      TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  color    TEXT NOT NULL,
  sort     INTEGER NOT NULL DEFAULT 0
);

-- path lists the ids from the root down to the unit itself, e.g. '/1/5/23/': a subtree is a path prefix,
-- which an index answers as a range scan.
CREATE TABLE org_units (
  id         INTEGER PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  level      TEXT NOT NULL CHECK (level IN ('county', 'township', 'village', 'compound')),
  parent_id  INTEGER REFERENCES org_units(id),
  path       TEXT NOT NULL UNIQUE
);
CREATE INDEX org_units_parent ON org_units(parent_id);

CREATE TABLE cameras (
  id             INTEGER PRIMARY KEY,
  network        TEXT NOT NULL REFERENCES networks(key),
  external_id    TEXT NOT NULL,
  name           TEXT NOT NULL,
  org_unit_id    INTEGER NOT NULL REFERENCES org_units(id),
  org_path       TEXT NOT NULL,            -- copy of org_units.path, kept in step by the repository
  lat            REAL,
  lng            REAL,
  address        TEXT NOT NULL DEFAULT '',
  source_kind    TEXT NOT NULL CHECK (source_kind IN ('onvif', 'rtsp')),
  endpoint       TEXT NOT NULL,            -- ONVIF device service or RTSP URL, never with credentials
  stream_url     TEXT,                     -- RTSP URL to pull (for ONVIF: from GetStreamUri), never with credentials
  status         TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('online', 'offline', 'unknown')),
  status_reason  TEXT,
  last_seen_at   TEXT,
  codec          TEXT,
  width          INTEGER,
  height         INTEGER,
  public_area    INTEGER NOT NULL DEFAULT 0,
  ptz            INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (network, external_id)
);
CREATE INDEX cameras_org_path_status ON cameras(org_path, status);
CREATE INDEX cameras_org_unit ON cameras(org_unit_id);

-- Separate so that no camera query can select them by accident; the password is encrypted at rest.
CREATE TABLE camera_credentials (
  camera_id  INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  username   TEXT NOT NULL,
  secret     TEXT NOT NULL
);

CREATE TABLE users (
  id             INTEGER PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'county_operator', 'township_officer', 'village_officer')),
  org_unit_id    INTEGER NOT NULL REFERENCES org_units(id),
  password_hash  TEXT NOT NULL,
  disabled       INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL
);

-- Only a keyed hash of the session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  ip          TEXT,
  user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_type   TEXT NOT NULL CHECK (actor_type IN ('user', 'resident', 'system', 'anonymous')),
  actor_id     TEXT,
  actor_name   TEXT,
  action       TEXT NOT NULL,
  target_type  TEXT,
  target_id    TEXT,
  org_unit_id  INTEGER,
  detail       TEXT,
  ip           TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TABLE app_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
