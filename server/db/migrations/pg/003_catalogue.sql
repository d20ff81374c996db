-- PostgreSQL twin of ../003_catalogue.sql (same number, same resulting schema; see server/db/README.md).
-- Catalogue import/export, fast search and fast tree counts for 100,000-camera counties.

-- Where an import took a camera's credentials from (a named credential profile), so an export can say so
-- without ever writing a password; and what identifies the device itself for re-discovery.
ALTER TABLE cameras ADD COLUMN credential_ref TEXT;
ALTER TABLE cameras ADD COLUMN device_id TEXT;         -- ONVIF serial number or WS-Discovery endpoint (urn:uuid:…)
ALTER TABLE cameras ADD COLUMN snapshot_url TEXT;      -- never with credentials
CREATE INDEX cameras_device_id ON cameras(device_id) WHERE device_id IS NOT NULL;
CREATE INDEX cameras_credential_ref ON cameras(credential_ref) WHERE credential_ref IS NOT NULL;

-- Named credentials shared by many cameras of one network platform (e.g. every 雪亮 camera of a vendor).
-- Import rows refer to them by name; the password is encrypted like camera_credentials.secret.
CREATE TABLE credential_profiles (
  name        TEXT PRIMARY KEY,
  username    TEXT NOT NULL,
  secret      TEXT NOT NULL,
  created_at  TEXT NOT NULL
);

-- Search. LIKE '%q%' over three columns scans 100,000 wide rows (~100–300 ms). Two structures instead:
-- * an FTS5 trigram index answers queries of 3+ characters from the index;
-- * for 1–2 characters (common in Chinese: 东风, 路口) trigrams cannot match, so a narrow covering index on
--   (org_path, search_text) is scanned instead of the table: the scope prefix bounds it and rows stay small.
-- search_text is a virtual generated column: every writer (seed, import, edits) keeps it right for free.
-- char(31) separates fields so a query never matches across two of them.
ALTER TABLE cameras ADD COLUMN search_text TEXT
  GENERATED ALWAYS AS (lower(name || chr(31) || external_id || chr(31) || address)) STORED;
CREATE INDEX cameras_search ON cameras(org_path, search_text);

-- PostgreSQL: pg_trgm's GIN index answers substring (LIKE '%q%') queries of 3+ characters from the index, as the
-- FTS5 trigram table does on SQLite; it indexes the column itself, so no shadow table or triggers are needed.
-- pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX cameras_search_trgm ON cameras USING gin (search_text gin_trgm_ops);

-- Tree counts. Counting a township's subtree through the (org_path, status) index touches every camera under
-- it: ~150 ms for the county root's 33 children at 100,000 cameras. Per-unit counts kept by triggers turn that
-- into a sum over the subtree's units (hundreds, not hundreds of thousands).
CREATE TABLE org_unit_camera_counts (
  unit_id  BIGINT PRIMARY KEY REFERENCES org_units(id) ON DELETE CASCADE,
  cameras  BIGINT NOT NULL DEFAULT 0,
  online   BIGINT NOT NULL DEFAULT 0
);
INSERT INTO org_unit_camera_counts (unit_id, cameras, online)
  SELECT org_unit_id, count(*), count(*) FILTER (WHERE status = 'online') FROM cameras GROUP BY org_unit_id;

CREATE FUNCTION cameras_count_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    UPDATE org_unit_camera_counts SET cameras = cameras - 1, online = online - (old.status = 'online')::integer
      WHERE unit_id = old.org_unit_id;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    INSERT INTO org_unit_camera_counts (unit_id, cameras, online) VALUES (new.org_unit_id, 1, (new.status = 'online')::integer)
      ON CONFLICT (unit_id) DO UPDATE SET cameras = org_unit_camera_counts.cameras + 1,
        online = org_unit_camera_counts.online + (new.status = 'online')::integer;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER cameras_count_insert AFTER INSERT ON cameras FOR EACH ROW EXECUTE FUNCTION cameras_count_change();
CREATE TRIGGER cameras_count_delete AFTER DELETE ON cameras FOR EACH ROW EXECUTE FUNCTION cameras_count_change();
CREATE TRIGGER cameras_count_update AFTER UPDATE OF org_unit_id, status ON cameras FOR EACH ROW
  WHEN (old.org_unit_id IS DISTINCT FROM new.org_unit_id OR old.status IS DISTINCT FROM new.status)
  EXECUTE FUNCTION cameras_count_change();
