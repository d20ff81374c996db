-- 移动视频 (issue #19): devices that push RTMP (body cameras, drones, 4G cameras, a phone). Each is a camera row of
-- network 'mobile' with endpoint 'push:<externalId>' (nothing to pull); its stream key is shown once when made or
-- rotated, and only a keyed hash of it is stored. A revoked key keeps its hash so a refused publish can say
-- "revoked" rather than "unknown" in the audit log.
CREATE TABLE push_keys (
  camera_id    INTEGER PRIMARY KEY REFERENCES cameras(id) ON DELETE CASCADE,
  key_hash     TEXT NOT NULL UNIQUE,
  created_by   INTEGER REFERENCES users(id),
  created_at   TEXT NOT NULL,              -- when the current key was issued (made or rotated)
  revoked_at   TEXT,
  revoked_by   INTEGER REFERENCES users(id)
);
