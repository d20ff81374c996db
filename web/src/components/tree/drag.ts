// Drag-and-drop payloads between the camera list and wall tiles.
import type { TileCamera } from '../wall/wall-state';

export const CAMERA_MIME = 'application/x-console-camera';
export const TILE_MIME = 'application/x-console-tile';

export function readCamera(data: DataTransfer): TileCamera | null {
  try {
    const value = JSON.parse(data.getData(CAMERA_MIME)) as Partial<TileCamera>;
    if (typeof value.id !== 'number' || typeof value.name !== 'string' || typeof value.network !== 'string') return null;
    return { id: value.id, name: value.name, network: value.network, orgUnitId: Number(value.orgUnitId) || 0 };
  } catch {
    return null;
  }
}

export function readTile(data: DataTransfer): number | null {
  const raw = data.getData(TILE_MIME);
  const slot = raw === '' ? NaN : Number(raw);
  return Number.isInteger(slot) ? slot : null;
}
