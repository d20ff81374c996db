// Wires the framework-free camera services into the app: one camera's use cases with the one recorder of camera
// status that relays, health checks and discovery all report to (service.ts), and the catalogue as a whole:
// import, export, credential profiles (catalogue.ts).
import fp from 'fastify-plugin';
import { CatalogueService } from '../cameras/catalogue';
import { CameraService } from '../cameras/service';

declare module 'fastify' {
  interface FastifyInstance {
    cameras: CameraService;
    catalogue: CatalogueService;
  }
}

export default fp(
  async (app) => {
    const deps = { db: app.db, repos: app.repos, publisher: app.realtime };
    // A changed camera's cached facts (the live routes' scope check) go on every gateway node.
    const { invalidation } = app.cluster;
    const announce = (id: number | null) => void invalidation.publish({ kind: 'camera', id }).catch((err) => app.log.warn({ err }, 'camera change not announced'));
    app.decorate('cameras', new CameraService({ ...deps, changed: (id) => announce(id) }));
    app.decorate('catalogue', new CatalogueService({ ...deps, decrypt: (sealed) => app.secrets.decrypt(sealed), changed: () => announce(null) }));
  },
  { name: 'cameras', dependencies: ['database', 'realtime', 'cluster'] },
);
