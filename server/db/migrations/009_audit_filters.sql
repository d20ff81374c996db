-- The admin audit page filters by actor, target and org unit and reads newest first (by id). SQLite appends the
-- rowid to every index, so each of these also answers "… ORDER BY id DESC LIMIT n" without a sort.
CREATE INDEX audit_log_actor ON audit_log(actor_name);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);
CREATE INDEX audit_log_org_unit ON audit_log(org_unit_id);
