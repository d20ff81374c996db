// The map's use cases (电子地图, issue #20): cameras in view as clusters or points, dangers in view, unit boundaries
// with counts, search, the page's configuration, and placing a camera on the map. Framework-free like the other
// services. Every read is confined to the caller's area (a unit filter must be inside it: visibleUnit's 404).
//
// Zoomed out, a view holds most of the area's cameras and every one must be read to count them (≈ 100,000 in a
// large county): those clusterings are computed for the whole area at that zoom and kept for CLUSTER_TTL_MS, so a
// pan or a second operator in the same area costs a filter of a few hundred cells. Counts may lag by that long;
// points (zoomed in) are always read fresh through the R*Tree.
import type { Config } from '../config';
import type { CameraStatus } from '../contracts/api';
import type {
  BBox, MapCameraQuery, MapCameras, MapCluster, MapConfig, MapDangerQuery, MapDangers, MapSearch, MapUnit, MapUnits,
} from '../contracts/map';
import { atomically, type Publisher } from '../db/atomically';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import type { GridCell } from '../db/repositories/map';
import { visibleUnit } from '../org/visible-unit';
import type { Caller, CameraService } from '../cameras/service';
import { BadRequestError } from '../errors';
import type { TileArchive } from './tile-archive';

/** From this zoom on cameras come as points (a village fills the screen). */
export const POINT_ZOOM = 15;
/** Zoomed out below this the view is treated as "most of the area": cached whole-area clustering. */
export const WIDE_ZOOM = 13;
/** Grid cell edge in screen pixels: clusters closer than this merge. */
export const CELL_PX = 64;
export const MAX_POINTS = 5000;
export const MAX_DANGERS = 2000;
const CLUSTER_TTL_MS = 5000;
/** Where the gateway serves its PMTiles base map (routes/api/map). */
export const TILE_PATH = '/api/map/tiles/{z}/{x}/{y}';

export interface MapDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  cameras: CameraService;
  config: Config['map'];
  /** The base map's PMTiles archive, when config.baseMap is 'pmtiles' (opened by the plugin at start). */
  tiles?: TileArchive;
}

/** Degrees of longitude one CELL_PX cell spans at a Web-Mercator zoom. */
export function cellDegrees(zoom: number): number {
  return (CELL_PX * 360) / (256 * 2 ** zoom);
}

/** Sums grid cells into cells `factor` times larger (factor 1: the same cells, without their grid index). */
export function merge(cells: readonly GridCell[], factor: number): MapCluster[] {
  if (factor === 1) return cells.map(({ gx: _gx, gy: _gy, ...c }) => c);
  const out = new Map<string, { lng: number; lat: number; count: number; online: number; offline: number; first: GridCell; n: number }>();
  for (const c of cells) {
    const key = `${Math.floor(c.gx / factor)},${Math.floor(c.gy / factor)}`;
    const o = out.get(key);
    if (!o) out.set(key, { lng: c.lng * c.count, lat: c.lat * c.count, count: c.count, online: c.online, offline: c.offline, first: c, n: 1 });
    else {
      o.lng += c.lng * c.count;
      o.lat += c.lat * c.count;
      o.count += c.count;
      o.online += c.online;
      o.offline += c.offline;
      o.n++;
    }
  }
  return [...out.values()].map((o) => {
    if (o.n === 1) {
      const { gx: _gx, gy: _gy, ...c } = o.first;
      return c;
    }
    return { lng: o.lng / o.count, lat: o.lat / o.count, count: o.count, online: o.online, offline: o.offline };
  });
}

const inBox = (b: BBox, lng: number, lat: number) => lng >= b[0] && lng <= b[2] && lat >= b[1] && lat <= b[3];

export class MapService {
  private readonly clusterCache = new Map<string, { at: number; cells: Promise<GridCell[]> }>();

  constructor(private readonly deps: MapDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  private async areaPath(scopePath: string, orgUnitId?: number): Promise<string> {
    if (orgUnitId === undefined) return scopePath;
    return (await visibleUnit(this.repos.orgUnits, scopePath, orgUnitId)).path;
  }

  private box(q: { west: number; south: number; east: number; north: number }): BBox {
    if (q.west > q.east) throw new BadRequestError('west must not be east of east', 'west');
    if (q.south > q.north) throw new BadRequestError('south must not be north of north', 'south');
    return [q.west, q.south, q.east, q.north];
  }

  async cameras(scopePath: string, q: MapCameraQuery): Promise<MapCameras> {
    const box = this.box(q);
    const path = await this.areaPath(scopePath, q.orgUnitId);
    const filter = { path, network: q.network, status: q.status as CameraStatus | undefined };
    const cell = cellDegrees(q.zoom);
    if (q.zoom >= POINT_ZOOM) {
      const { points, total } = await this.repos.map.points(box, filter, MAX_POINTS);
      return { mode: 'points', total, clusters: [], points, truncated: total > points.length, cellDeg: cell };
    }
    // Cells are square on screen: a degree of latitude is longer than one of longitude away from the equator.
    const midLat = ((q.south + q.north) / 2) * (Math.PI / 180);
    const cellLat = cell * Math.cos(midLat);
    let clusters: MapCluster[];
    if (q.zoom < WIDE_ZOOM) {
      // The whole area at the finest wide zoom, once (cell latitude rounded so nearby views share an entry); a
      // coarser zoom's cell is exactly 2^k × 2^k of those cells, so it is summed from them, not read again.
      const latKey = Math.round((cellLat / cell) * 50) / 50;
      const baseZoom = WIDE_ZOOM - 1;
      const baseCell = cellDegrees(baseZoom);
      const key = JSON.stringify([path, filter.network ?? '', filter.status ?? '', latKey]);
      const now = Date.now();
      let entry = this.clusterCache.get(key);
      if (!entry || now - entry.at > CLUSTER_TTL_MS) {
        const cells = this.repos.map.clusters([-180, -90, 180, 90], filter, baseCell, baseCell * latKey, true);
        entry = { at: now, cells };
        this.clusterCache.set(key, entry);
        cells.catch(() => this.clusterCache.delete(key));
        if (this.clusterCache.size > 200) this.prune(now);
      }
      clusters = merge(await entry.cells, 2 ** (baseZoom - q.zoom)).filter((c) => inBox(box, c.lng, c.lat));
    } else {
      clusters = (await this.repos.map.clusters(box, filter, cell, cellLat, false)).map(({ gx: _gx, gy: _gy, ...c }) => c);
    }
    const total = clusters.reduce((n, c) => n + c.count, 0);
    return { mode: 'clusters', total, clusters, points: [], truncated: false, cellDeg: cell };
  }

  private prune(now: number): void {
    for (const [key, entry] of this.clusterCache) if (now - entry.at > CLUSTER_TTL_MS) this.clusterCache.delete(key);
  }

  async dangers(scopePath: string, q: MapDangerQuery): Promise<MapDangers> {
    const box = this.box(q);
    const path = await this.areaPath(scopePath, q.orgUnitId);
    if (q.from && q.to && q.from >= q.to) throw new BadRequestError('from must be before to', 'from');
    const { items, total } = await this.repos.map.dangers(box, path, { from: q.from, to: q.to, open: q.open ?? true, severity: q.severity }, MAX_DANGERS);
    return { items, total, truncated: total > items.length };
  }

  /** A unit's children (default: the caller's own unit) with boundaries and counts; the parent comes too. */
  async units(caller: Caller, parentId?: number): Promise<MapUnits> {
    const parent = await visibleUnit(this.repos.orgUnits, caller.scopePath, parentId ?? caller.orgUnitId, 'parentId');
    const [withCounts, children] = await Promise.all([this.repos.orgUnits.withCounts(parent.id), this.repos.orgUnits.children(parent.id)]);
    const rows = await this.repos.orgUnits.subtree(parent.path);
    const pathById = new Map(rows.map((r) => [r.id, r.path]));
    const all = [withCounts!, ...children];
    const [shapes, dangers] = await Promise.all([
      this.repos.map.shapes(all.map((u) => u.id)),
      this.repos.map.openDangers(all.map((u) => ({ id: u.id, path: pathById.get(u.id)! }))),
    ]);
    const present = (u: (typeof all)[number]): MapUnit => {
      const shape = shapes.get(u.id);
      return {
        id: u.id, name: u.name, nameEn: u.nameEn ?? null, level: u.level, childCount: u.childCount, cameraCount: u.cameraCount,
        onlineCount: u.onlineCount, openDangers: dangers.get(u.id) ?? 0,
        geometry: shape ? JSON.parse(shape.geometry) : null, label: shape?.label ?? null, bbox: shape?.bbox ?? null,
      };
    };
    return { parent: present(withCounts!), units: children.map(present) };
  }

  /** A base-map tile of the gateway's PMTiles archive with its type; undefined when there is none there. */
  async tile(z: number, x: number, y: number): Promise<{ data: Buffer; mime: string } | undefined> {
    const tiles = this.deps.tiles;
    if (!tiles) return undefined;
    const data = await tiles.tile(z, x, y);
    return data && { data, mime: tiles.mime };
  }

  async config(caller: Caller): Promise<MapConfig> {
    const { config } = this.deps;
    const own = (await this.repos.map.shapes([caller.orgUnitId])).get(caller.orgUnitId);
    const extent = own?.bbox ?? await this.repos.map.cameraExtent(caller.scopePath);
    return {
      baseMap: config.baseMap,
      tileUrl: config.baseMap === 'xyz' ? config.tileUrl : config.baseMap === 'pmtiles' ? TILE_PATH : null,
      tileZooms: this.deps.tiles ? [this.deps.tiles.minZoom, this.deps.tiles.maxZoom] : null,
      coordSystem: config.coordSystem,
      maxZoom: config.maxZoom,
      attribution: config.attribution,
      pointZoom: POINT_ZOOM,
      layers: await this.repos.map.layerKeys(),
      extent,
      unitId: caller.orgUnitId,
    };
  }

  async layer(key: string): Promise<string | undefined> {
    return this.repos.map.layer(key);
  }

  /** Cameras (name, id, address), units (name, code) and dangers (id, camera name, address) in the area. */
  async search(scopePath: string, q: string): Promise<MapSearch> {
    const text = q.trim();
    const [cameras, units, dangers] = await Promise.all([
      this.repos.cameras.list(scopePath, { q: text, limit: 10, offset: 0, direct: false }),
      this.repos.map.searchUnits(scopePath, text, 10),
      this.repos.map.searchDangers(scopePath, text, 5),
    ]);
    return {
      hits: [
        ...units.map((u) => ({ kind: 'unit' as const, id: u.id, label: u.name, detail: u.level, lng: u.label?.[0] ?? null, lat: u.label?.[1] ?? null, bbox: u.bbox })),
        ...cameras.items.map((c) => ({ kind: 'camera' as const, id: c.id, label: c.name, detail: c.address || c.externalId, lng: c.lng, lat: c.lat, bbox: null })),
        ...dangers.map((d) => ({ kind: 'danger' as const, id: d.id, label: `#${d.id} ${d.cameraName}`, detail: d.category, lng: d.lng, lat: d.lat, bbox: null })),
      ],
    };
  }

  /** Admin: puts a camera at a point (drag from the tree), audited as camera.place with the old and new point. */
  async place(caller: Caller, cameraId: number, point: { lng: number; lat: number }, ip: string): Promise<void> {
    await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      const camera = await this.deps.cameras.visible(caller.scopePath, cameraId, tx);
      await tx.run('UPDATE cameras SET lat = ?, lng = ?, updated_at = ? WHERE id = ?', [point.lat, point.lng, new Date().toISOString(), camera.id]);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'camera.place', targetType: 'camera', targetId: camera.id,
        orgUnitId: camera.orgUnitId, ip, detail: { from: camera.lat === null ? null : [camera.lng, camera.lat], to: [point.lng, point.lat] },
      }, tx);
    });
    this.clusterCache.clear();
  }
}
