// Several gateway nodes on one PostgreSQL database (issue #22): this node's identity in the cluster and the relay
// router that serves each live stream from the one node that pulls it (server/cluster/relay-router.ts). On SQLite
// the router is a pass-through to this node's relays and nothing else changes.
import { hostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { RelayRouter } from '../cluster/relay-router';
import { RelayLeaseRepository } from '../db/repositories/relay-leases';
import { loadOrCreateKey } from '../security/secrets';

declare module 'fastify' {
  interface FastifyInstance {
    cluster: {
      /** Where each live stream is served from: here, or proxied from its owner. */
      router: RelayRouter;
      /** Authenticates node-to-node requests (routes/internal); the same on every node. */
      secret: string;
    };
  }
}

export default fp(
  async (app) => {
    const { cluster, media, host, dataDir } = app.config;
    // Empty: generated once into dataDir like the session key; a cluster's nodes share dataDir's keys anyway.
    const secret = cluster.secret || loadOrCreateKey(dataDir, 'cluster.key').toString('base64url');
    const leases = app.db.dialect === 'postgres' ? new RelayLeaseRepository(app.db) : undefined;
    const router = new RelayRouter({ relays: app.relays, leases, log: app.log });
    app.decorate('cluster', { router, secret });
    // The node's name and address default to the port it actually listens on (port 0 picks one), so the router
    // joins the cluster only once listening; an app that never listens (tests through inject) serves locally.
    app.addHook('onListen', async () => {
      const { port } = app.server.address() as AddressInfo;
      await router.start({
        nodeId: cluster.nodeId || `${hostname()}:${port}`,
        url: (cluster.advertiseUrl || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
        secret,
        maxRelays: media.maxRelays,
      });
    });
    app.addHook('preClose', async () => router.stop());
  },
  { name: 'cluster', dependencies: ['database', 'media'] },
);
