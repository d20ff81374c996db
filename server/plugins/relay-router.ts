// Several gateway nodes on one PostgreSQL database (issue #22): the relay router that serves each live stream from
// the one node that pulls it (server/cluster/relay-router.ts), under this node's cluster identity (plugins/cluster).
// On SQLite the router is a pass-through to this node's relays and nothing else changes.
import type { AddressInfo } from 'node:net';
import fp from 'fastify-plugin';
import { RelayRouter } from '../cluster/relay-router';
import { RelayLeaseRepository } from '../db/repositories/relay-leases';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where each live stream is served from: here, or proxied from its owner. */
    relayRouter: RelayRouter;
  }
}

export default fp(
  async (app) => {
    const { cluster, media, host } = app.config;
    const leases = app.db.dialect === 'postgres' ? new RelayLeaseRepository(app.db) : undefined;
    const router = new RelayRouter({ relays: app.relays, leases, log: app.log });
    app.decorate('relayRouter', router);
    // Recorded cameras' relays run without viewers: on a cluster only on the node holding their lease.
    app.relays.manager.setPinGate((relayId) => router.mayPin(relayId));
    // The node's address defaults to the port it actually listens on (port 0 picks one), so the router joins the
    // cluster only once listening; an app that never listens (tests through inject) serves locally.
    app.addHook('onListen', async () => {
      const { port } = app.server.address() as AddressInfo;
      await router.start({
        nodeId: app.cluster.nodeId,
        url: (cluster.advertiseUrl || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
        secret: app.cluster.secret,
        maxRelays: media.maxRelays,
      });
    });
    app.addHook('preClose', async () => router.stop());
  },
  { name: 'relay-router', dependencies: ['cluster', 'media'] },
);
