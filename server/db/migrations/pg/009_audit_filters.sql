-- PostgreSQL twin of ../009_audit_filters.sql (same number, same resulting schema; see server/db/README.md).
-- The admin audit page filters by action, actor and target and reads newest first (by id). SQLite appends the rowid
-- to every index, so each of these answers "… WHERE x = ? ORDER BY id DESC LIMIT n" without a sort. They replace
-- audit_log_action(action, at): it ordered by time within an action, and the planner preferred it whenever a time
-- range came along, sorting every row of the action (40,000 of 300,000) for one page.
DROP INDEX audit_log_action;
CREATE INDEX audit_log_action_id ON audit_log(action);
CREATE INDEX audit_log_actor ON audit_log(actor_name);
CREATE INDEX audit_log_target ON audit_log(target_type, target_id);
