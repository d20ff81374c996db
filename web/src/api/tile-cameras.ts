// Turns camera ids (a pushed layout, a saved layout) into what a wall tile needs: name, network, unit.
// One GET per camera not seen before; cameras the user may no longer see (404) become empty tiles.
import type { TileCamera } from '../components/wall/wall-state';
import { rememberName } from '../lib/status-store';
import { dispatchApi } from './dispatch-api';

const known = new Map<number, TileCamera>();

export function rememberTileCamera(camera: TileCamera): void {
  known.set(camera.id, camera);
}

export async function tileCameras(ids: ReadonlyArray<number | null>, signal?: AbortSignal): Promise<Array<TileCamera | null>> {
  return Promise.all(
    ids.map(async (id) => {
      if (id === null) return null;
      const cached = known.get(id);
      if (cached) return cached;
      try {
        const c = await dispatchApi.camera(id, signal);
        const tile = { id: c.id, name: c.name, network: c.network, orgUnitId: c.orgUnitId };
        known.set(id, tile);
        rememberName(id, c.name);
        return tile;
      } catch {
        return null;
      }
    }),
  );
}
