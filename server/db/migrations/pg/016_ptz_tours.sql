-- PostgreSQL twin of ../016_ptz_tours.sql (same number, same resulting schema; see server/db/README.md).
-- PTZ preset tours (巡航, issue #18): one plan per camera, the presets in order with a dwell time each, run by the
-- server while nobody holds the camera's control lock. Steps are a JSON array [{ "token": "2", "dwellSec": 15 }]:
-- always read and written whole, never queried by step. The tour goes with its camera.
CREATE TABLE ptz_tours (
  camera_id BIGINT PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  steps TEXT NOT NULL,
  enabled BIGINT NOT NULL DEFAULT 1,
  updated_by TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
