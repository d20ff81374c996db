// Wires the map's framework-free use cases (server/map/service.ts) into the app as app.map.
import fp from 'fastify-plugin';
import { MapService } from '../map/service';

declare module 'fastify' {
  interface FastifyInstance {
    map: MapService;
  }
}

export default fp(
  async (app) => {
    app.decorate('map', new MapService({ db: app.db, repos: app.repos, publisher: app.realtime, cameras: app.cameras, config: app.config.map }));
  },
  { name: 'map', dependencies: ['database', 'realtime', 'cameras'] },
);
