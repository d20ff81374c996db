-- Relay leases (issue #22): each (camera, stream) relay runs on one gateway node of the cluster. A lease names the
-- node that pulls the stream and where the other nodes reach it; it lives while its owner renews it (every second,
-- one statement per node) and expires a few seconds after the owner stops (killed, partitioned). Times are the
-- database's clock (now()), so the nodes' own clocks never have to agree.
CREATE TABLE relay_nodes (
  node_id TEXT PRIMARY KEY,
  url TEXT NOT NULL,
  relays BIGINT NOT NULL DEFAULT 0,
  max_relays BIGINT NOT NULL,
  started_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE relay_leases (
  relay_id BIGINT PRIMARY KEY,
  node_id TEXT NOT NULL,
  node_url TEXT NOT NULL,
  acquired_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX relay_leases_node ON relay_leases (node_id);
