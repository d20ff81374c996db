-- Wall layouts an operator saves by name; the default one is restored at login.
CREATE TABLE saved_layouts (
  id          INTEGER PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  name        TEXT NOT NULL,
  layout      TEXT NOT NULL CHECK (layout IN ('1', '4', '9', '16', '1+5')),
  camera_ids  TEXT NOT NULL,  -- JSON array, one camera id or null per tile
  is_default  INTEGER NOT NULL DEFAULT 0,
  updated_at  TEXT NOT NULL,
  UNIQUE (user_id, name)
);
