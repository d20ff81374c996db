// Shapes of the map API (电子地图, issue #20). Coordinates are WGS-84 in both directions (as stored); the page
// converts for its base map's system (server/domain/coords.ts, MapConfig.coordSystem). The web imports these with
// `import type` only.
import { Type, type Static } from 'typebox';
import { Id } from './api';
import { DangerStatus, Severity } from './dispatch';

// The shared CameraStatus carries an $id: two copies inside one response schema would clash, so a plain copy here.
const CameraStatus = Type.Union([Type.Literal('online'), Type.Literal('offline'), Type.Literal('unknown')]);

const Lng = (description: string) => Type.Number({ minimum: -180, maximum: 180, description });
const Lat = (description: string) => Type.Number({ minimum: -90, maximum: 90, description });
const CoordSystem = Type.Union([Type.Literal('wgs84'), Type.Literal('gcj02'), Type.Literal('bd09')]);

/** West, south, east, north (WGS-84). */
export const BBox = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: '[west, south, east, north]' });
export type BBox = Static<typeof BBox>;

export const BoxQuery = {
  west: Lng('West edge of the view'),
  south: Lat('South edge'),
  east: Lng('East edge'),
  north: Lat('North edge'),
};

export const MapCameraQuery = Type.Object(
  {
    ...BoxQuery,
    zoom: Type.Integer({ minimum: 0, maximum: 22, description: 'Web-Mercator zoom: below the point zoom cameras come as grid clusters' }),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1, description: 'Only this unit and its subtree (inside your area)' })),
    network: Type.Optional(Type.String({ maxLength: 32 })),
    status: Type.Optional(CameraStatus),
  },
  { additionalProperties: false },
);
export type MapCameraQuery = Static<typeof MapCameraQuery>;

/** A grid cell's cameras; a cell holding one camera names it (id, network, status) so it draws as a point. */
export const MapCluster = Type.Object({
  lng: Type.Number({ description: 'Mean position of the cell’s cameras' }),
  lat: Type.Number(),
  count: Type.Integer(),
  online: Type.Integer(),
  offline: Type.Integer(),
  id: Type.Optional(Id),
  network: Type.Optional(Type.String()),
  status: Type.Optional(CameraStatus),
});
export type MapCluster = Static<typeof MapCluster>;

export const MapPoint = Type.Object({
  id: Id,
  name: Type.String(),
  lng: Type.Number(),
  lat: Type.Number(),
  network: Type.String(),
  status: CameraStatus,
  orgUnitId: Id,
});
export type MapPoint = Static<typeof MapPoint>;

export const MapCameras = Type.Object(
  {
    mode: Type.Union([Type.Literal('clusters'), Type.Literal('points')]),
    /** Cameras in the box (after filters). */
    total: Type.Integer(),
    clusters: Type.Array(MapCluster),
    points: Type.Array(MapPoint),
    /** Points mode: more cameras than were returned (zoom in). */
    truncated: Type.Boolean(),
    /** Cell size in degrees of longitude (clusters mode), so the page can tell how coarse the grid was. */
    cellDeg: Type.Number(),
  },
  { $id: 'MapCameras' },
);
export type MapCameras = Static<typeof MapCameras>;

export const MapDangerQuery = Type.Object(
  {
    ...BoxQuery,
    from: Type.Optional(Type.String({ format: 'date-time', description: 'Reported at or after' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'Reported before' })),
    open: Type.Optional(Type.Boolean({ default: true, description: 'Only dangers not yet resolved or closed' })),
    severity: Type.Optional(Severity),
    orgUnitId: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);
export type MapDangerQuery = Static<typeof MapDangerQuery>;

export const MapDanger = Type.Object({
  id: Id,
  lng: Type.Number(),
  lat: Type.Number(),
  severity: Severity,
  status: DangerStatus,
  category: Type.String(),
  cameraId: Id,
  cameraName: Type.String(),
  createdAt: Type.String(),
});
export type MapDanger = Static<typeof MapDanger>;

export const MapDangers = Type.Object(
  { items: Type.Array(MapDanger), total: Type.Integer(), truncated: Type.Boolean() },
  { $id: 'MapDangers' },
);
export type MapDangers = Static<typeof MapDangers>;

export const MapUnitsQuery = Type.Object(
  { parentId: Type.Optional(Type.Integer({ minimum: 1, description: 'Default: your own unit' })) },
  { additionalProperties: false },
);
export type MapUnitsQuery = Static<typeof MapUnitsQuery>;

export const MapUnit = Type.Object({
  id: Id,
  name: Type.String(),
  nameEn: Type.Union([Type.String(), Type.Null()]),
  level: Type.String(),
  childCount: Type.Integer(),
  cameraCount: Type.Integer(),
  onlineCount: Type.Integer(),
  openDangers: Type.Integer(),
  /** GeoJSON Polygon or MultiPolygon (WGS-84); null when the unit has no boundary. */
  geometry: Type.Union([Type.Unknown(), Type.Null()]),
  label: Type.Union([Type.Tuple([Type.Number(), Type.Number()]), Type.Null()]),
  bbox: Type.Union([BBox, Type.Null()]),
});
export type MapUnit = Static<typeof MapUnit>;

export const MapUnits = Type.Object({ parent: MapUnit, units: Type.Array(MapUnit) }, { $id: 'MapUnits' });
export type MapUnits = Static<typeof MapUnits>;

export const MapConfig = Type.Object(
  {
    baseMap: Type.Union([Type.Literal('none'), Type.Literal('xyz'), Type.Literal('pmtiles')]),
    /** 'xyz': the intranet tile server's template; 'pmtiles': the gateway's own /api/map/tiles/{z}/{x}/{y}. */
    tileUrl: Type.Union([Type.String(), Type.Null()]),
    /** 'pmtiles': the archive's zoom range (Leaflet scales the deepest tiles up beyond it); otherwise null. */
    tileZooms: Type.Union([Type.Tuple([Type.Integer(), Type.Integer()]), Type.Null()]),
    coordSystem: CoordSystem,
    maxZoom: Type.Integer(),
    attribution: Type.String(),
    /** Zoom from which cameras come as points rather than clusters. */
    pointZoom: Type.Integer(),
    /** Offline layers the gateway serves (GET /api/map/layers/:key). */
    layers: Type.Array(Type.String()),
    /** Your area's extent, to open the map on; null when nothing in it has coordinates. */
    extent: Type.Union([BBox, Type.Null()]),
    unitId: Id,
  },
  { $id: 'MapConfig' },
);
export type MapConfig = Static<typeof MapConfig>;

export const MapSearchQuery = Type.Object({ q: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });
export type MapSearchQuery = Static<typeof MapSearchQuery>;

export const MapSearchHit = Type.Object({
  kind: Type.Union([Type.Literal('camera'), Type.Literal('unit'), Type.Literal('danger')]),
  id: Id,
  label: Type.String(),
  detail: Type.String(),
  lng: Type.Union([Type.Number(), Type.Null()]),
  lat: Type.Union([Type.Number(), Type.Null()]),
  bbox: Type.Union([BBox, Type.Null()]),
});
export type MapSearchHit = Static<typeof MapSearchHit>;

export const MapSearch = Type.Object({ hits: Type.Array(MapSearchHit) }, { $id: 'MapSearch' });
export type MapSearch = Static<typeof MapSearch>;

export const PlaceCameraBody = Type.Object(
  { lng: Lng('Longitude (WGS-84)'), lat: Lat('Latitude (WGS-84)') },
  { additionalProperties: false },
);
export type PlaceCameraBody = Static<typeof PlaceCameraBody>;
