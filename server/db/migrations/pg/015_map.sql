-- PostgreSQL twin of ../015_map.sql (same number, same resulting schema; see server/db/README.md).
-- The map (电子地图, issue #20): a bounding-box index over camera coordinates, unit boundaries and base-map layers.

-- R*Tree over camera points (WGS-84, as stored). Its bounds are 32-bit floats rounded outward (~1 m here), so a
-- box query is a superset: the repository filters on the exact cameras.lat/lng too. Kept in step by triggers, so
-- every writer (service, bulk import, seed, org move) is covered without knowing it exists.
-- PostgreSQL: the same name as a view over the cameras' points, so MapRepository's box query reads one SQL text on
-- both engines; a btree on (lng, lat) answers its range (exact bounds, so no superset here).
CREATE VIEW camera_rtree AS
  SELECT id, lng AS min_lng, lng AS max_lng, lat AS min_lat, lat AS max_lat FROM cameras WHERE lat IS NOT NULL AND lng IS NOT NULL;
CREATE INDEX cameras_point ON cameras(lng, lat) WHERE lat IS NOT NULL AND lng IS NOT NULL;

-- A zoomed-out view holds most of the area's cameras, and then the R*Tree is no help: every camera is read. This
-- covering index lets that GROUP BY read the scope's range of one index and never the table (measured in
-- bench:map); zoomed in, the R*Tree picks the few cameras in view instead (MapRepository chooses by zoom).
CREATE INDEX cameras_map ON cameras(org_path, lng, lat, status, network);

-- A unit's boundary as a GeoJSON geometry (Polygon or MultiPolygon, WGS-84), with its box for quick culling.
-- Units without one are simply not drawn. The demo county generates them; a county loads its own.
CREATE TABLE org_unit_shapes (
  org_unit_id  BIGINT PRIMARY KEY REFERENCES org_units(id) ON DELETE CASCADE,
  geometry     TEXT NOT NULL,
  min_lng      DOUBLE PRECISION NOT NULL,
  min_lat      DOUBLE PRECISION NOT NULL,
  max_lng      DOUBLE PRECISION NOT NULL,
  max_lat      DOUBLE PRECISION NOT NULL,
  -- Where the unit's label goes (inside the shape, unlike a concave polygon's centroid).
  label_lng    DOUBLE PRECISION NOT NULL,
  label_lat    DOUBLE PRECISION NOT NULL
);

-- Offline base-map layers as GeoJSON FeatureCollections (key 'roads', 'water', ...): drawn when no tile server
-- is configured, so the map looks like a place with nothing fetched from outside the gateway.
CREATE TABLE map_layers (
  key         TEXT PRIMARY KEY,
  geojson     TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);
