// Relay leases and the nodes that hold them (issue #22, migration 023; PostgreSQL only — SQLite is one node and
// never builds this repository). Every expiry is computed by the database's clock, so the nodes' clocks need not
// agree; a lease or a node row counts as live while `expires_at > now()`. No workflow here: who takes what is
// server/cluster/relay-router.ts's business.
import type { Queryable } from '../database';

export interface RelayLease {
  relayId: number;
  nodeId: string;
  nodeUrl: string;
}

export interface RelayNode {
  nodeId: string;
  url: string;
  /** Relays this node says it runs (its last heartbeat). */
  relays: number;
  /** Live leases it holds now: what placement counts, since it moves with every acquire, not once a second. */
  leases: number;
  maxRelays: number;
  alive: boolean;
}

/** `now() + ms`, with the parameter typed (PostgreSQL cannot type `? * interval` on its own). */
const IN_MS = "now() + CAST(? AS double precision) * interval '1 millisecond'";

export class RelayLeaseRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Take the lease of `relayId` for `nodeId` when nobody holds a live one (or renew it when this node already
   * does), in one statement: the conditional upsert is atomic, so of two nodes racing for a free relay exactly one
   * gets a row back. Returns the lease now in force — this node's or the live owner's.
   */
  async acquire(relayId: number, nodeId: string, nodeUrl: string, ttlMs: number): Promise<RelayLease> {
    const won = await this.db.get<RelayLease>(
      `INSERT INTO relay_leases (relay_id, node_id, node_url, expires_at) VALUES (?, ?, ?, ${IN_MS})
       ON CONFLICT (relay_id) DO UPDATE SET node_id = excluded.node_id, node_url = excluded.node_url,
         expires_at = excluded.expires_at,
         acquired_at = CASE WHEN relay_leases.node_id = excluded.node_id THEN relay_leases.acquired_at ELSE now() END
       WHERE relay_leases.expires_at <= now() OR relay_leases.node_id = excluded.node_id
       RETURNING relay_id AS relayId, node_id AS nodeId, node_url AS nodeUrl`,
      [relayId, nodeId, nodeUrl, ttlMs],
    );
    if (won) return won;
    // Held by a live lease of another node. A row read here may have expired in between: the caller asks again.
    const held = await this.live(relayId);
    return held ?? { relayId, nodeId: '', nodeUrl: '' };
  }

  /** The live lease of a relay, if any. */
  live(relayId: number): Promise<RelayLease | undefined> {
    return this.db.get<RelayLease>(
      'SELECT relay_id AS relayId, node_id AS nodeId, node_url AS nodeUrl FROM relay_leases WHERE relay_id = ? AND expires_at > now()',
      [relayId],
    );
  }

  /**
   * One node's heartbeat, in one statement: its node row (url, `running` relays, cap) is upserted and every
   * lease it holds among `relayIds` is renewed. Returns the ids renewed: one missing was lost (it expired while
   * this node could not reach the database, and another node may have taken it) and must stop here.
   */
  async heartbeat(node: { nodeId: string; url: string; maxRelays: number }, relayIds: number[], running: number, ttlMs: number): Promise<number[]> {
    const rows = await this.db.all<{ relayId: number }>(
      `WITH node AS (
         INSERT INTO relay_nodes (node_id, url, relays, max_relays, expires_at) VALUES (?, ?, ?, ?, ${IN_MS})
         ON CONFLICT (node_id) DO UPDATE SET url = excluded.url, relays = excluded.relays, max_relays = excluded.max_relays,
           expires_at = excluded.expires_at
         RETURNING node_id
       )
       UPDATE relay_leases SET expires_at = ${IN_MS}
       WHERE node_id = (SELECT node_id FROM node) AND relay_id IN (SELECT CAST(value AS BIGINT) FROM json_each(?))
       RETURNING relay_id AS relayId`,
      [node.nodeId, node.url, running, node.maxRelays, ttlMs, ttlMs, JSON.stringify(relayIds)],
    );
    return rows.map((r) => Number(r.relayId));
  }

  /** Give a lease up (the relay stopped here). Only this node's: a lease another node took meanwhile stays. */
  async release(relayId: number, nodeId: string): Promise<void> {
    await this.db.run('DELETE FROM relay_leases WHERE relay_id = ? AND node_id = ?', [relayId, nodeId]);
  }

  /** This node is shutting down: its row and leases go at once, so others need not wait for them to expire. */
  async leave(nodeId: string): Promise<void> {
    await this.db.run('DELETE FROM relay_leases WHERE node_id = ?', [nodeId]);
    await this.db.run('DELETE FROM relay_nodes WHERE node_id = ?', [nodeId]);
  }

  /** Nodes seen within the last minute (live or just expired), least loaded first, with their live leases. */
  nodes(): Promise<RelayNode[]> {
    return this.db.all<RelayNode>(
      `SELECT n.node_id AS nodeId, n.url, n.relays, n.max_relays AS maxRelays,
         CASE WHEN n.expires_at > now() THEN 1 ELSE 0 END AS alive,
         (SELECT count(*) FROM relay_leases l WHERE l.node_id = n.node_id AND l.expires_at > now()) AS leases
       FROM relay_nodes n WHERE n.expires_at > now() - interval '1 minute'
       ORDER BY alive DESC, leases, n.node_id`,
    ).then((rows) => rows.map((r) => ({ ...r, relays: Number(r.relays), maxRelays: Number(r.maxRelays), leases: Number(r.leases), alive: !!r.alive })));
  }

  /** Every live lease (the relay status API filters them by the caller's area). */
  leases(): Promise<RelayLease[]> {
    return this.db.all<RelayLease>(
      'SELECT relay_id AS relayId, node_id AS nodeId, node_url AS nodeUrl FROM relay_leases WHERE expires_at > now() ORDER BY relay_id',
    ).then((rows) => rows.map((r) => ({ ...r, relayId: Number(r.relayId) })));
  }
}
