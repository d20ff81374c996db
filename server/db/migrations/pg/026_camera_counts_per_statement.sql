-- Per-unit camera counts (003) kept per statement rather than per row. A catalogue import writes its cameras 1,000
-- to a statement (INSERT … SELECT FROM jsonb_each); with row triggers each camera upserted its unit's count row, so
-- 100,000 cameras were 100,000 upserts on a few hundred hot rows inside the import's transaction. Statement
-- triggers with transition tables add each statement's cameras up per unit first: one upsert per unit touched.
-- A single camera's change (a status flip) costs about what the row trigger did.
DROP TRIGGER cameras_count_insert ON cameras;
DROP TRIGGER cameras_count_delete ON cameras;
DROP TRIGGER cameras_count_update ON cameras;
DROP FUNCTION cameras_count_change();

-- Each function adds its statement's rows up per unit: (cameras, online) of new rows minus those of old rows; units
-- whose net change is zero (an UPDATE that moved nothing, e.g. a last-seen time) are left alone. Static SQL in each
-- trigger function: transition tables are visible only to the function the trigger runs.
CREATE FUNCTION cameras_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO org_unit_camera_counts (unit_id, cameras, online)
    SELECT org_unit_id, count(*), count(*) FILTER (WHERE status = 'online') FROM new_rows GROUP BY org_unit_id
    ON CONFLICT (unit_id) DO UPDATE SET cameras = org_unit_camera_counts.cameras + excluded.cameras,
      online = org_unit_camera_counts.online + excluded.online;
  RETURN NULL;
END $$;

CREATE FUNCTION cameras_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE org_unit_camera_counts n SET cameras = n.cameras - d.cameras, online = n.online - d.online
    FROM (SELECT org_unit_id, count(*) AS cameras, count(*) FILTER (WHERE status = 'online') AS online
          FROM old_rows GROUP BY org_unit_id) d
    WHERE n.unit_id = d.org_unit_id;
  RETURN NULL;
END $$;

CREATE FUNCTION cameras_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO org_unit_camera_counts (unit_id, cameras, online)
    SELECT unit_id, sum(cameras), sum(online) FROM (
      SELECT org_unit_id AS unit_id, 1 AS cameras, (status = 'online')::integer AS online FROM new_rows
      UNION ALL SELECT org_unit_id, -1, -(status = 'online')::integer FROM old_rows
    ) d GROUP BY unit_id HAVING sum(cameras) <> 0 OR sum(online) <> 0
    ON CONFLICT (unit_id) DO UPDATE SET cameras = org_unit_camera_counts.cameras + excluded.cameras,
      online = org_unit_camera_counts.online + excluded.online;
  RETURN NULL;
END $$;

CREATE TRIGGER cameras_count_insert AFTER INSERT ON cameras REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cameras_count_inserted();
CREATE TRIGGER cameras_count_delete AFTER DELETE ON cameras REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cameras_count_deleted();
CREATE TRIGGER cameras_count_update AFTER UPDATE ON cameras REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION cameras_count_updated();
