-- PostgreSQL twin of ../014_org_units.sql (same number, same resulting schema; see server/db/README.md).
-- Org units as administrators keep them (组织机构, issue #16): English names, unit ids never reused, users per unit.

-- The English UI shows name_en where a unit is named and falls back to the Chinese name while it is NULL. The
-- catalogue import keys units by their Chinese name path and leaves this empty for the units it creates.
ALTER TABLE org_units ADD COLUMN name_en TEXT;

-- A unit's id is never given to another unit, as for cameras (migration 012): the audit log, the event log and
-- its payloads name units by id, so a unit created after a delete must not inherit the deleted one's history.
-- OrgUnitRepository.insertMany takes ids above both max(id) and this mark.
CREATE FUNCTION org_units_keep_deleted_id() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO id_high_water (name, id) VALUES ('org_units', old.id)
    ON CONFLICT (name) DO UPDATE SET id = greatest(id_high_water.id, excluded.id);
  RETURN NULL;
END $$;
CREATE TRIGGER org_units_keep_deleted_id AFTER DELETE ON org_units FOR EACH ROW EXECUTE FUNCTION org_units_keep_deleted_id();

-- The org tree counts users per unit (subtree sums) and a delete checks that none is left: both look users up
-- by unit. IF NOT EXISTS: the users work of the same release may create it first.
CREATE INDEX IF NOT EXISTS users_org_unit ON users(org_unit_id);
