-- ONVIF discovery jobs and what they found, kept for review before devices are added to the catalogue.
-- The job's credentials are kept (encrypted) so that adding a found device can store them for the camera.

CREATE TABLE discovery_jobs (
  id            INTEGER PRIMARY KEY,
  mode          TEXT NOT NULL CHECK (mode IN ('unicast', 'multicast')),
  state         TEXT NOT NULL CHECK (state IN ('running', 'done', 'failed', 'cancelled')),
  params        TEXT NOT NULL,           -- JSON: targets or interface, timeout, concurrency; never the password
  username      TEXT,
  secret        TEXT,                    -- encrypted password, like camera_credentials.secret
  owner_id      INTEGER NOT NULL REFERENCES users(id),
  owner_name    TEXT NOT NULL,
  org_unit_id   INTEGER NOT NULL REFERENCES org_units(id),
  org_path      TEXT NOT NULL,           -- the owner's unit: who may see the job and hear its events
  probed        INTEGER NOT NULL DEFAULT 0,
  total         INTEGER NOT NULL DEFAULT 0,
  found         INTEGER NOT NULL DEFAULT 0,
  failed        INTEGER NOT NULL DEFAULT 0,
  error         TEXT,
  created_at    TEXT NOT NULL,
  finished_at   TEXT
);
CREATE INDEX discovery_jobs_path ON discovery_jobs(org_path, id);

CREATE TABLE discovery_results (
  id             INTEGER PRIMARY KEY,
  job_id         INTEGER NOT NULL REFERENCES discovery_jobs(id) ON DELETE CASCADE,
  address        TEXT NOT NULL,
  endpoint_ref   TEXT,
  xaddr          TEXT,
  state          TEXT NOT NULL CHECK (state IN ('found', 'failed', 'added')),
  failure        TEXT,
  message        TEXT,
  manufacturer   TEXT,
  model          TEXT,
  firmware       TEXT,
  serial         TEXT,
  profiles       TEXT NOT NULL DEFAULT '[]',
  stream_uri     TEXT,                   -- never with credentials
  snapshot_uri   TEXT,
  ptz            INTEGER NOT NULL DEFAULT 0,
  camera_id      INTEGER REFERENCES cameras(id) ON DELETE SET NULL,
  suggested_name TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL
);
CREATE INDEX discovery_results_job ON discovery_results(job_id);

-- Search over 1–2 characters scans this index (see cameras.ts list): with network and status in it, those
-- filters are answered from the index too instead of visiting every matching row (measured 240 → ~40 ms).
DROP INDEX IF EXISTS cameras_search;
CREATE INDEX cameras_search ON cameras(org_path, search_text, network, status);
