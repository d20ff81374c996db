// The map API (server/routes/api/map): everything in WGS-84; the view converts for its base map.
import type {
  MapCameraQuery, MapCameras, MapConfig, MapDangerQuery, MapDangers, MapSearch, MapUnits,
} from '../../../server/contracts/map';
import { request } from './http';

export type { MapCameras, MapCluster, MapConfig, MapDanger, MapDangers, MapPoint, MapSearchHit, MapUnit, MapUnits } from '../../../server/contracts/map';

export const mapApi = {
  config: (signal?: AbortSignal) => request<MapConfig>('GET', '/api/map/config', { signal }),
  cameras: (query: MapCameraQuery, signal?: AbortSignal) => request<MapCameras>('GET', '/api/map/cameras', { query: { ...query }, signal }),
  dangers: (query: MapDangerQuery, signal?: AbortSignal) => request<MapDangers>('GET', '/api/map/dangers', { query: { ...query }, signal }),
  units: (parentId?: number, signal?: AbortSignal) => request<MapUnits>('GET', '/api/map/units', { query: parentId ? { parentId } : {}, signal }),
  search: (q: string, signal?: AbortSignal) => request<MapSearch>('GET', '/api/map/search', { query: { q }, signal }),
  place: (cameraId: number, point: { lng: number; lat: number }) => request<void>('PUT', `/api/map/cameras/${cameraId}/place`, { body: point }),
  layer: (key: string, signal?: AbortSignal) => request<GeoJSON.FeatureCollection>('GET', `/api/map/layers/${encodeURIComponent(key)}`, { signal }),
};
