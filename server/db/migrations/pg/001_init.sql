-- PostgreSQL twin of ../001_init.sql (same number, same resulting schema; see server/db/README.md).
-- Foundation schema: org tree, camera networks, cameras (credentials apart), users, sessions, audit log.

-- SQLite functions the shared repository SQL uses, so that one SQL text runs on both engines (server/db/dialect.ts
-- does the purely mechanical rewrites). Kept here, in the first migration, so both lists keep the same numbers.
-- ICU nondeterministic collation: users.username compares and is unique ignoring case, as SQLite's COLLATE NOCASE.
CREATE COLLATION IF NOT EXISTS nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);

-- julianday(ISO-8601 text): days since noon UTC, 24 November 4714 BC; only differences of it are used.
CREATE FUNCTION julianday(t text) RETURNS double precision LANGUAGE sql IMMUTABLE AS
  $$ SELECT extract(epoch FROM t::timestamptz)::double precision / 86400.0 + 2440587.5 $$;
-- instr(haystack, needle): 1-based position, 0 when absent.
CREATE FUNCTION instr(h text, n text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT strpos(h, n) $$;
-- substr with SQLite's meaning for a negative length (the characters before the start; '' at the start), where
-- PostgreSQL's substr refuses; server/db/dialect.ts calls this one for every substr.
CREATE FUNCTION sqlite_substr(s text, y integer, z integer) RETURNS text LANGUAGE sql IMMUTABLE AS
  $$ SELECT CASE WHEN z >= 0 THEN substr(s, y, z) ELSE substr(s, greatest(y + z, 1), least(-z, y - 1)) END $$;
CREATE FUNCTION sqlite_substr(s text, y integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT substr(s, y) $$;
-- json_each over a JSON array given as text (how the repositories pass id lists): value as text, so it can be
-- compared with text or CAST(value AS INTEGER), as the shared SQL does.
CREATE FUNCTION json_each(j text) RETURNS TABLE (key integer, value text, type text) LANGUAGE sql IMMUTABLE AS
  $$ SELECT (e.ord - 1)::integer, e.v #>> '{}', jsonb_typeof(e.v) FROM jsonb_array_elements(j::jsonb) WITH ORDINALITY AS e(v, ord) $$;
-- SQLite's jsonb_each over the same kind of text array (its JSONB is only a faster parse there).
CREATE FUNCTION jsonb_each(j text) RETURNS TABLE (key integer, value text, type text) LANGUAGE sql IMMUTABLE AS
  $$ SELECT * FROM json_each(j) $$;
-- value ->> n on such a text value (an array row of json_each).
CREATE FUNCTION sqlite_json_index(j text, i integer) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT j::jsonb ->> i $$;
CREATE OPERATOR ->> (LEFTARG = text, RIGHTARG = integer, FUNCTION = sqlite_json_index);
-- json_array_length(text)
CREATE FUNCTION json_array_length(j text) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT jsonb_array_length(j::jsonb) $$;
-- sum(condition): SQLite counts true comparisons as 1; NULL for no rows, like sum.
CREATE FUNCTION sqlite_bool_sum(s bigint, b boolean) RETURNS bigint LANGUAGE sql IMMUTABLE AS
  $$ SELECT coalesce(s, 0) + coalesce(b::integer, 0) $$;
CREATE AGGREGATE sum(boolean) (SFUNC = sqlite_bool_sum, STYPE = bigint);

-- cameras and org_units: the app usually chooses ids itself (above max(id) and the deleted high-water mark,
-- migrations 012/014), and some writers (the demo seed) leave the id out. An identity sequence would not know of
-- the chosen ids and hand one out again; SQLite's rowid rule (max + 1) does, so these two tables keep it.
-- Rows earlier in the same INSERT are visible to a BEFORE ROW trigger, so a multi-row insert numbers on.
CREATE FUNCTION sqlite_rowid_default() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF new.id IS NULL THEN
    EXECUTE format('SELECT coalesce(max(id), 0) + 1 FROM %I', TG_TABLE_NAME) INTO new.id;
  END IF;
  RETURN new;
END $$;

CREATE TABLE networks (
  key      TEXT PRIMARY KEY,
  name     TEXT NOT NULL,
  name_en  TEXT NOT NULL,
  color    TEXT NOT NULL,
  sort     BIGINT NOT NULL DEFAULT 0
);

-- path lists the ids from the root down to the unit itself, e.g. '/1/5/23/': a subtree is a path prefix,
-- which an index answers as a range scan.
CREATE TABLE org_units (
  id         BIGINT PRIMARY KEY,
  code       TEXT NOT NULL UNIQUE,
  name       TEXT NOT NULL,
  level      TEXT NOT NULL CHECK (level IN ('county', 'township', 'village', 'compound')),
  parent_id  BIGINT REFERENCES org_units(id),
  path       TEXT NOT NULL UNIQUE
);
CREATE INDEX org_units_parent ON org_units(parent_id);
CREATE TRIGGER org_units_rowid BEFORE INSERT ON org_units FOR EACH ROW EXECUTE FUNCTION sqlite_rowid_default();

CREATE TABLE cameras (
  id             BIGINT PRIMARY KEY,
  network        TEXT NOT NULL REFERENCES networks(key),
  external_id    TEXT NOT NULL,
  name           TEXT NOT NULL,
  org_unit_id    BIGINT NOT NULL REFERENCES org_units(id),
  org_path       TEXT NOT NULL,            -- copy of org_units.path, kept in step by the repository
  lat            DOUBLE PRECISION,
  lng            DOUBLE PRECISION,
  address        TEXT NOT NULL DEFAULT '',
  source_kind    TEXT NOT NULL CHECK (source_kind IN ('onvif', 'rtsp')),
  endpoint       TEXT NOT NULL,            -- ONVIF device service or RTSP URL, never with credentials
  stream_url     TEXT,                     -- RTSP URL to pull (for ONVIF: from GetStreamUri), never with credentials
  status         TEXT NOT NULL DEFAULT 'unknown' CHECK (status IN ('online', 'offline', 'unknown')),
  status_reason  TEXT,
  last_seen_at   TEXT,
  codec          TEXT,
  width          BIGINT,
  height         BIGINT,
  public_area    BIGINT NOT NULL DEFAULT 0,
  ptz            BIGINT NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  UNIQUE (network, external_id)
);
CREATE INDEX cameras_org_path_status ON cameras(org_path, status);
CREATE INDEX cameras_org_unit ON cameras(org_unit_id);
CREATE TRIGGER cameras_rowid BEFORE INSERT ON cameras FOR EACH ROW EXECUTE FUNCTION sqlite_rowid_default();

-- Separate so that no camera query can select them by accident; the password is encrypted at rest.
CREATE TABLE camera_credentials (
  camera_id  BIGINT PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  username   TEXT NOT NULL,
  secret     TEXT NOT NULL
);

CREATE TABLE users (
  id             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE COLLATE nocase,
  display_name   TEXT NOT NULL,
  role           TEXT NOT NULL CHECK (role IN ('admin', 'county_operator', 'township_officer', 'village_officer')),
  org_unit_id    BIGINT NOT NULL REFERENCES org_units(id),
  password_hash  TEXT NOT NULL,
  disabled       BIGINT NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL
);

-- Only a keyed hash of the session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  user_id     BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf_token  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  ip          TEXT,
  user_agent  TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE audit_log (
  id           BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  at           TEXT NOT NULL,
  actor_type   TEXT NOT NULL CHECK (actor_type IN ('user', 'resident', 'system', 'anonymous')),
  actor_id     TEXT,
  actor_name   TEXT,
  action       TEXT NOT NULL,
  target_type  TEXT,
  target_id    TEXT,
  org_unit_id  BIGINT,
  detail       TEXT,
  ip           TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TABLE app_state (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
);
