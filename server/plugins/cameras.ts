// Wires the framework-free camera service (server/cameras/service.ts) into the app: the catalogue's use cases and
// the one recorder of camera status that relays, health checks and discovery all report to.
import fp from 'fastify-plugin';
import { CameraService } from '../cameras/service';

declare module 'fastify' {
  interface FastifyInstance {
    cameras: CameraService;
  }
}

export default fp(
  async (app) => {
    app.decorate('cameras', new CameraService({ db: app.db, repos: app.repos, publisher: app.realtime }));
  },
  { name: 'cameras', dependencies: ['database', 'realtime'] },
);
