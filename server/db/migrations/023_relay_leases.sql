-- Relay leases (issue #22) are a PostgreSQL-only feature: SQLite is one node, which needs no lease. The tables
-- exist here too so both dialects keep one numbered list (test/db/migrations-parity.test.ts); nothing uses them.
CREATE TABLE relay_nodes (
  node_id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  relays INTEGER NOT NULL DEFAULT 0,
  max_relays INTEGER NOT NULL,
  started_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT NOT NULL
);

CREATE TABLE relay_leases (
  relay_id INTEGER PRIMARY KEY,
  node_id TEXT NOT NULL,
  node_url TEXT NOT NULL,
  acquired_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  expires_at TEXT NOT NULL
);
CREATE INDEX relay_leases_node ON relay_leases (node_id);
