-- PostgreSQL twin of ../012_camera_ids.sql (same number, same resulting schema; see server/db/README.md).
-- A camera's id is never given to another camera. Wall layouts, resident links, wall pushes, the event log and the
-- audit log name cameras by id, so a camera added after a delete must not take the deleted one's id, as SQLite's
-- rowid would (max + 1). A delete remembers the highest id it removed; inserts take the next id above both the
-- table's and that (cameras.ts NEXT_CAMERA_ID).
CREATE TABLE id_high_water (
  name TEXT PRIMARY KEY,
  id   BIGINT NOT NULL
);

CREATE FUNCTION cameras_keep_deleted_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO id_high_water (name, id) VALUES ('cameras', old.id)
    ON CONFLICT (name) DO UPDATE SET id = greatest(id_high_water.id, excluded.id);
  RETURN NULL;
END $$;
CREATE TRIGGER cameras_keep_deleted_id AFTER DELETE ON cameras FOR EACH ROW EXECUTE FUNCTION cameras_keep_deleted_id();
