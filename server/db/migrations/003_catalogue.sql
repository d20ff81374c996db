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
  GENERATED ALWAYS AS (lower(name || char(31) || external_id || char(31) || address)) VIRTUAL;
CREATE INDEX cameras_search ON cameras(org_path, search_text);

CREATE VIRTUAL TABLE camera_fts USING fts5(search_text, content = '', contentless_delete = 1, tokenize = 'trigram');
INSERT INTO camera_fts(rowid, search_text) SELECT id, search_text FROM cameras;

CREATE TRIGGER cameras_fts_insert AFTER INSERT ON cameras BEGIN
  INSERT INTO camera_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER cameras_fts_delete AFTER DELETE ON cameras BEGIN
  DELETE FROM camera_fts WHERE rowid = old.id;
END;
CREATE TRIGGER cameras_fts_update AFTER UPDATE OF name, external_id, address ON cameras BEGIN
  DELETE FROM camera_fts WHERE rowid = old.id;
  INSERT INTO camera_fts(rowid, search_text) VALUES (new.id, new.search_text);
END;

-- Tree counts. Counting a township's subtree through the (org_path, status) index touches every camera under
-- it: ~150 ms for the county root's 33 children at 100,000 cameras. Per-unit counts kept by triggers turn that
-- into a sum over the subtree's units (hundreds, not hundreds of thousands).
CREATE TABLE org_unit_camera_counts (
  unit_id  INTEGER PRIMARY KEY REFERENCES org_units(id) ON DELETE CASCADE,
  cameras  INTEGER NOT NULL DEFAULT 0,
  online   INTEGER NOT NULL DEFAULT 0
);
INSERT INTO org_unit_camera_counts (unit_id, cameras, online)
  SELECT org_unit_id, count(*), sum(status = 'online') FROM cameras GROUP BY org_unit_id;

CREATE TRIGGER cameras_count_insert AFTER INSERT ON cameras BEGIN
  INSERT INTO org_unit_camera_counts (unit_id, cameras, online) VALUES (new.org_unit_id, 1, new.status = 'online')
    ON CONFLICT(unit_id) DO UPDATE SET cameras = cameras + 1, online = online + (new.status = 'online');
END;
CREATE TRIGGER cameras_count_delete AFTER DELETE ON cameras BEGIN
  UPDATE org_unit_camera_counts SET cameras = cameras - 1, online = online - (old.status = 'online')
    WHERE unit_id = old.org_unit_id;
END;
CREATE TRIGGER cameras_count_update AFTER UPDATE OF org_unit_id, status ON cameras
  WHEN old.org_unit_id IS NOT new.org_unit_id OR old.status IS NOT new.status BEGIN
  UPDATE org_unit_camera_counts SET cameras = cameras - 1, online = online - (old.status = 'online')
    WHERE unit_id = old.org_unit_id;
  INSERT INTO org_unit_camera_counts (unit_id, cameras, online) VALUES (new.org_unit_id, 1, new.status = 'online')
    ON CONFLICT(unit_id) DO UPDATE SET cameras = cameras + 1, online = online + (new.status = 'online');
END;
