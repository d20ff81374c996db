-- PostgreSQL twin of ../021_push_keys.sql (same number, same resulting schema; see server/db/README.md).
-- 移动视频 (issue #19): a pushing device's stream key, stored only as a keyed hash; a revoked key keeps its hash so a
-- refused publish can say "revoked" rather than "unknown" in the audit log.
CREATE TABLE push_keys (
  camera_id    BIGINT PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  key_hash     TEXT NOT NULL UNIQUE,
  created_by   BIGINT REFERENCES users(id),
  created_at   TEXT NOT NULL,
  revoked_at   TEXT,
  revoked_by   BIGINT REFERENCES users(id)
);
