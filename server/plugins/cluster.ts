// What makes several gateway nodes on one PostgreSQL behave as one console beyond socket.io (issue #22,
// server/db/README.md "Leadership" and "Invalidation"): this node's identity and the cluster secret, run-once jobs
// under advisory-lock leadership, the cache invalidation bus, and the shared login throttle. Relays across nodes are
// the relay-router plugin's. On SQLite (one node) every job leads here, the bus is local and
// throttling stays in-process.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import fp from 'fastify-plugin';
import { LocalInvalidationBus, PostgresInvalidationBus, type InvalidationBus } from '../db/invalidation';
import { LocalLeadership, PostgresLeadership, type Leadership } from '../db/leadership';
import { loadOrCreateKey } from '../security/secrets';
import { SharedCounter } from '../security/throttle-store';

declare module 'fastify' {
  interface FastifyInstance {
    cluster: {
      nodeId: string;
      leadership: Leadership;
      invalidation: InvalidationBus;
      /** Authenticates node-to-node requests (routes/internal); the same on every node. */
      secret: string;
    };
  }
}

/** Job groups that run on one node at a time: the names the plugins ask leadership for. */
export const JOBS = {
  /** Dispatch overdue / re-check scan and the patrol scheduler (both on dispatch.overdueScanSec). */
  dispatch: 'dispatch-scan',
  patrol: 'patrol-scan',
  health: 'health-checks',
  maintenance: 'maintenance-sweep',
  retention: 'recording-retention',
  backup: 'scheduled-backup',
} as const;

export interface ClusterPluginOptions {
  /** Where the rate-limit store finds the shared counter (app.ts registers rate-limit before the database). */
  throttle?: { current?: SharedCounter };
}

export default fp<ClusterPluginOptions>(
  async (app, opts) => {
    // Known before listening (leadership names its lock connections with it): when not configured, the host name,
    // pid and a few random bytes tell two nodes of one host (or two apps of one test) apart.
    const nodeId = app.config.cluster.nodeId || `${hostname()}:${process.pid}:${randomBytes(2).toString('hex')}`;
    // Empty: generated once into dataDir like the session key; a cluster's nodes share dataDir's keys anyway.
    const secret = app.config.cluster.secret || loadOrCreateKey(app.config.dataDir, 'cluster.key').toString('base64url');
    const onError = (what: string) => (err: unknown) => app.log.warn({ err }, what);
    let leadership: Leadership;
    let invalidation: InvalidationBus;
    if (app.db.dialect === 'postgres') {
      const url = app.config.database;
      leadership = new PostgresLeadership({
        url, nodeId, onError: onError('leadership: lock connection failed'),
        query: (sql, params) => app.db.all(sql, params),
      });
      invalidation = await PostgresInvalidationBus.start({
        url, nodeId, onError: onError('invalidation listener failed'),
        notify: async (channel, payload) => void (await app.db.get('SELECT pg_notify(?, ?)', [channel, payload])),
      });
      await SharedCounter.setup(app.db);
      if (opts.throttle) opts.throttle.current = new SharedCounter(app.db);
    } else {
      leadership = new LocalLeadership(nodeId, onError('leadership listener failed'));
      invalidation = new LocalInvalidationBus(onError('invalidation listener failed'));
    }
    app.decorate('cluster', { nodeId, leadership, invalidation, secret });
    // Every plugin has asked for its job by now (health asks in its own onReady, registered later, so after this:
    // its first try follows within a second). A lone node leads from its first request on.
    app.addHook('onReady', () => leadership.settled());
    // preClose: jobs stop leading (their onLose runs) before the database closes under them.
    app.addHook('preClose', async () => {
      await leadership.close();
      await invalidation.close();
      if (opts.throttle) opts.throttle.current = undefined;
    });
  },
  { name: 'cluster', dependencies: ['database'] },
);
