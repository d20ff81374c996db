-- The map (电子地图, issue #20): a bounding-box index over camera coordinates, unit boundaries and base-map layers.

-- R*Tree over camera points (WGS-84, as stored). Its bounds are 32-bit floats rounded outward (~1 m here), so a
-- box query is a superset: the repository filters on the exact cameras.lat/lng too. Kept in step by triggers, so
-- every writer (service, bulk import, seed, org move) is covered without knowing it exists.
CREATE VIRTUAL TABLE camera_rtree USING rtree(id, min_lng, max_lng, min_lat, max_lat);
INSERT INTO camera_rtree (id, min_lng, max_lng, min_lat, max_lat)
  SELECT id, lng, lng, lat, lat FROM cameras WHERE lat IS NOT NULL AND lng IS NOT NULL;

CREATE TRIGGER cameras_rtree_insert AFTER INSERT ON cameras
  WHEN new.lat IS NOT NULL AND new.lng IS NOT NULL
BEGIN
  INSERT INTO camera_rtree (id, min_lng, max_lng, min_lat, max_lat) VALUES (new.id, new.lng, new.lng, new.lat, new.lat);
END;

CREATE TRIGGER cameras_rtree_update AFTER UPDATE OF lat, lng ON cameras
BEGIN
  DELETE FROM camera_rtree WHERE id = old.id;
  INSERT INTO camera_rtree (id, min_lng, max_lng, min_lat, max_lat)
    SELECT new.id, new.lng, new.lng, new.lat, new.lat WHERE new.lat IS NOT NULL AND new.lng IS NOT NULL;
END;

CREATE TRIGGER cameras_rtree_delete AFTER DELETE ON cameras
BEGIN
  DELETE FROM camera_rtree WHERE id = old.id;
END;

-- A zoomed-out view holds most of the area's cameras, and then the R*Tree is no help: every camera is read. This
-- covering index lets that GROUP BY read the scope's range of one index and never the table (measured in
-- bench:map); zoomed in, the R*Tree picks the few cameras in view instead (MapRepository chooses by zoom).
CREATE INDEX cameras_map ON cameras(org_path, lng, lat, status, network);

-- A unit's boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS-84), with its box for quick culling.
-- Units without one are simply not drawn. The demo county generates them; a county loads its own.
CREATE TABLE org_unit_shapes (
  org_unit_id  INTEGER PRIMARY KEY REFERENCES org_units(id) ON DELETE CASCADE,
  geometry     TEXT NOT NULL,
  min_lng      REAL NOT NULL,
  min_lat      REAL NOT NULL,
  max_lng      REAL NOT NULL,
  max_lat      REAL NOT NULL,
  -- Where the unit's label goes (inside the shape, unlike a concave polygon's centroid).
  label_lng    REAL NOT NULL,
  label_lat    REAL NOT NULL
);

-- Offline base-map layers as GeoJSON FeatureCollections (key 'roads', 'water', ...): drawn when no tile server
-- is configured, so the map looks like a place with nothing fetched from outside the gateway.
CREATE TABLE map_layers (
  key         TEXT PRIMARY KEY,
  geojson     TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
