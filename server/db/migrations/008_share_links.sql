-- Resident share links: a compound's public-area cameras behind an unguessable, expiring, revocable token.
-- Only a keyed hash of the token is stored; the link itself is shown once, when it is made.
CREATE TABLE share_links (
  id            INTEGER PRIMARY KEY,
  token_hash    TEXT NOT NULL UNIQUE,
  org_unit_id   INTEGER NOT NULL REFERENCES org_units(id),
  label         TEXT NOT NULL,
  camera_ids    TEXT NOT NULL,            -- JSON array, fixed when the link is made
  expires_at    TEXT NOT NULL,
  window_start  TEXT,                     -- optional daily window, 'HH:MM' China time
  window_end    TEXT,
  max_devices   INTEGER,
  max_viewers   INTEGER NOT NULL,
  created_by    INTEGER NOT NULL REFERENCES users(id),
  created_at    TEXT NOT NULL,
  revoked_at    TEXT,
  revoked_by    INTEGER REFERENCES users(id)
);
CREATE INDEX share_links_unit ON share_links(org_unit_id);

-- Devices that opened a link (by a hash of the page's device id), for the per-link device limit.
CREATE TABLE share_link_devices (
  link_id      INTEGER NOT NULL REFERENCES share_links(id) ON DELETE CASCADE,
  device_hash  TEXT NOT NULL,
  first_seen   TEXT NOT NULL,
  last_seen    TEXT NOT NULL,
  opens        INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY (link_id, device_hash)
);
