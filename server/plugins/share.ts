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
    app.decorate('share', new ShareService(app.db, app.repos, app.secrets));
  },
  { name: 'share', dependencies: ['database'] },
);
