-- Durable event log behind socket.io: every pushed event gets a sequence number here first, so a client that
-- reconnects can ask for what it missed. org_path is the unit the event is about; a user sees it when the
-- user's own unit path is a prefix of it.
CREATE TABLE events (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  org_path  TEXT NOT NULL,
  type      TEXT NOT NULL,
  payload   TEXT NOT NULL
);
CREATE INDEX events_at ON events(at);
