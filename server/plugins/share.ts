// Resident share links (server/share) wired into the app.
import fp from 'fastify-plugin';
import { ShareService } from '../share/service';

declare module 'fastify' {
  interface FastifyInstance {
    share: ShareService;
  }
}

export default fp(
  async (app) => {
    const { invalidation } = app.cluster;
    const service = new ShareService(app.db, app.repos, app.secrets, undefined, invalidation);
    // A link revoked on any node (this one included) leaves this node's cache at once.
    const unsubscribe = invalidation.subscribe((m) => {
      if (m.kind === 'share-link') service.forget(m.id);
      else if (m.kind === 'all') service.forget();
    });
    app.addHook('onClose', async () => unsubscribe());
    app.decorate('share', service);
  },
  { name: 'share', dependencies: ['database', 'cluster'] },
);
