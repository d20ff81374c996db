// Wires the map's framework-free use cases (server/map/service.ts) into the app as app.map.
import fp from 'fastify-plugin';
import { resolve } from 'node:path';
import { ConfigError } from '../config';
import { MapService } from '../map/service';
import { openTileArchive, type TileArchive } from '../map/tile-archive';

declare module 'fastify' {
  interface FastifyInstance {
    map: MapService;
  }
}

export default fp(
  async (app) => {
    const config = app.config.map;
    // The PMTiles base map is opened (and its header checked) at start: a wrong path fails here, naming the field.
    let tiles: TileArchive | undefined;
    if (config.baseMap === 'pmtiles') {
      const path = resolve(config.pmtilesPath);
      try {
        tiles = await openTileArchive(path);
      } catch (err) {
        throw new ConfigError('map.pmtilesPath', `cannot serve ${path}: ${(err as Error).message}`);
      }
      app.addHook('onClose', () => tiles!.close());
    }
    app.decorate('map', new MapService({ db: app.db, repos: app.repos, publisher: app.realtime, cameras: app.cameras, config, tiles }));
  },
  { name: 'map', dependencies: ['database', 'realtime', 'cameras'] },
);
