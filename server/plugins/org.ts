// Wires the org tree's use cases (server/org/service.ts) into the app, and keeps live sockets' scopes right after a
// subtree move: a socket remembers its user's scope path from when it connected and replays missed events
// (events:since) by that prefix, so a move rewrites it for every socket whose scope lay inside the moved subtree.
// Rooms are by unit id, and ids do not change in a move: pushes already reach the right sockets.
import fp from 'fastify-plugin';
import { OrgService } from '../org/service';

declare module 'fastify' {
  interface FastifyInstance {
    org: OrgService;
  }
}

export default fp(
  async (app) => {
    const { io } = app.realtime;
    const { invalidation } = app.cluster;
    // A subtree moved on any gateway node: this node's sockets hold their user's scope path from when they connected.
    const unsubscribe = invalidation.subscribe((m) => {
      if (m.kind !== 'org-moved') return;
      for (const socket of io.of('/').sockets.values()) {
        const scope = socket.data.scopePath;
        if (scope?.startsWith(m.from)) socket.data.scopePath = m.to + scope.slice(m.from.length);
      }
    });
    app.addHook('onClose', async () => unsubscribe());
    app.decorate('org', new OrgService({
      db: app.db, repos: app.repos, publisher: app.realtime,
      // Delivered here at once and on the other nodes a NOTIFY later.
      rescoped: (from, to) => void invalidation.publish({ kind: 'org-moved', from, to }).catch((err) => app.log.warn({ err }, 'org move not announced')),
    }));
  },
  { name: 'org', dependencies: ['database', 'realtime', 'cluster'] },
);
