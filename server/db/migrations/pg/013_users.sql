-- PostgreSQL twin of ../013_users.sql (same number, same resulting schema; see server/db/README.md).
-- User management (issue #16). Users are never removed: tasks, dangers, pushes, discovery jobs and resident links name
-- their creator by id, and the audit log by id and name. A deleted user keeps its row (deleted_at set, password
-- hash made unusable, sessions gone) and its username: a username always means the same person in the audit log
-- (whose actor filter is by name), so it is not given to a new account.
ALTER TABLE users ADD COLUMN phone TEXT;
-- Set for accounts created or reset by an administrator: every API route but /api/auth/me, logout and the
-- password change answers 403 until the user has chosen a password of their own.
ALTER TABLE users ADD COLUMN must_change_password BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
-- Wrong passwords in a row; at the limit the account is locked until locked_until (server/users/lockout.ts).
ALTER TABLE users ADD COLUMN failed_logins BIGINT NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TEXT;
ALTER TABLE users ADD COLUMN last_login_at TEXT;
ALTER TABLE users ADD COLUMN deleted_at TEXT;
CREATE INDEX users_org_unit ON users(org_unit_id);

-- A session's public id: the user's own page lists sessions and ends one by it. The token hash stays the key and
-- never leaves the server.
ALTER TABLE sessions ADD COLUMN public_id TEXT;
UPDATE sessions SET public_id = substr(md5(random()::text || token_hash), 1, 16);
CREATE UNIQUE INDEX sessions_public_id ON sessions(public_id);
