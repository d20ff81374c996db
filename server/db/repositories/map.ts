// What the map reads: cameras in a box through the R*Tree (migration 015), as grid clusters or points; dangers in
// a box; unit boundaries and offline layers. Every query takes the caller's path and stays inside it, like the
// camera tree. Clustering is a GROUP BY over a global grid (cells aligned to multiples of the cell size, not to the
// view), so clusters do not jump while panning; bench:map measures it at 100,074 cameras.
import type { CameraStatus } from '../../contracts/api';
import type { BBox, MapCluster, MapDanger, MapPoint } from '../../contracts/map';
import { prefixUpperBound } from '../../domain/scope';
import type { Params, Queryable, SqlValue } from '../database';

export interface CameraFilter {
  path: string;
  network?: string;
  status?: CameraStatus;
}

/** A cluster with its cell's grid index (floor of lng / cell, lat / cell). */
export type GridCell = MapCluster & { gx: number; gy: number };

export interface UnitShape {
  orgUnitId: number;
  geometry: string;
  bbox: BBox;
  label: [number, number];
}

/** floor() without the math extension: CAST truncates toward zero. */
const floorSql = (x: string) => `(CAST(${x} AS INTEGER) - ((${x}) < CAST(${x} AS INTEGER)))`;
/** PostgreSQL has floor(), and its CAST to integer rounds rather than truncates, so the form above is SQLite's only. */
const pgFloorSql = (x: string) => `CAST(floor(${x}) AS INTEGER)`;

/**
 * The cameras of a box. `wide`: the box holds much of the area (zoomed out), so read the scope's range of the
 * covering index cameras_map; otherwise ask the R*Tree for the few ids in the box first (CROSS JOIN keeps SQLite
 * from starting at the org_path range and probing the R*Tree once per camera of the whole area).
 */
function cameraWhere(box: BBox, f: CameraFilter, wide: boolean): { sql: string; params: SqlValue[] } {
  const [west, south, east, north] = box;
  const where = [
    'c.lng >= ? AND c.lng <= ? AND c.lat >= ? AND c.lat <= ?',
    'c.org_path >= ? AND c.org_path < ?',
  ];
  const params: SqlValue[] = [west, east, south, north, f.path, prefixUpperBound(f.path)];
  if (!wide) {
    where.unshift('r.min_lng <= ? AND r.max_lng >= ? AND r.min_lat <= ? AND r.max_lat >= ?');
    params.unshift(east, west, north, south);
  }
  if (f.network) {
    where.push('c.network = ?');
    params.push(f.network);
  }
  if (f.status) {
    where.push('c.status = ?');
    params.push(f.status);
  }
  const from = wide ? 'cameras c INDEXED BY cameras_map' : 'camera_rtree r CROSS JOIN cameras c ON c.id = r.id';
  return { sql: `FROM ${from} WHERE ${where.join(' AND ')}`, params };
}

export class MapRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Cameras of the box grouped by a grid of cellLng × cellLat degrees, each cell with its grid index (gx, gy); a
   * one-camera cell names its camera (id, network, status: what the covering index holds; the popup reads the rest).
   */
  async clusters(box: BBox, filter: CameraFilter, cellLng: number, cellLat: number, wide: boolean): Promise<GridCell[]> {
    const { sql, params } = cameraWhere(box, filter, wide);
    const pg = this.db.dialect === 'postgres';
    const floor = pg ? pgFloorSql : floorSql;
    const rows = await this.db.all<GridCell>(
      `SELECT ${floor('c.lng / ?')} AS gx, ${floor('c.lat / ?')} AS gy,
              avg(c.lng) AS lng, avg(c.lat) AS lat, count(*) AS count,
              sum(c.status = 'online') AS online, sum(c.status = 'offline') AS offline,
              min(c.id) AS id, min(c.network) AS network, min(c.status) AS status
       ${sql} GROUP BY gx, gy`,
      // floorSql repeats its argument three times: the cell size is bound once per use.
      [...(pg ? [cellLng, cellLat] : [cellLng, cellLng, cellLng, cellLat, cellLat, cellLat]), ...params],
    );
    return rows.map((c) => {
      if (c.count === 1) return c;
      const { id: _id, network: _network, status: _status, ...cluster } = c;
      return cluster;
    });
  }

  async points(box: BBox, filter: CameraFilter, limit: number): Promise<{ points: MapPoint[]; total: number }> {
    const { sql, params } = cameraWhere(box, filter, false);
    const points = await this.db.all<MapPoint>(
      `SELECT c.id, c.name, c.lng, c.lat, c.network, c.status, c.org_unit_id AS orgUnitId ${sql} ORDER BY c.id LIMIT ?`,
      [...params, limit + 1],
    );
    if (points.length <= limit) return { points, total: points.length };
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n ${sql}`, params))?.n ?? 0;
    return { points: points.slice(0, limit), total };
  }

  /** The extent of the cameras under a path (null when none has coordinates). */
  async cameraExtent(path: string): Promise<BBox | null> {
    const row = await this.db.get<{ w: number | null; s: number; e: number; n: number }>(
      `SELECT min(lng) AS w, min(lat) AS s, max(lng) AS e, max(lat) AS n FROM cameras
       WHERE org_path >= ? AND org_path < ? AND lat IS NOT NULL AND lng IS NOT NULL`,
      [path, prefixUpperBound(path)],
    );
    return row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
  }

  /** Dangers located under `path` in the box (those without coordinates are not on the map), newest first. */
  async dangers(
    box: BBox, path: string, q: { from?: string; to?: string; open: boolean; severity?: string }, limit: number,
  ): Promise<{ items: MapDanger[]; total: number }> {
    const [west, south, east, north] = box;
    const where = ['d.org_path >= ?', 'd.org_path < ?', 'd.lng >= ?', 'd.lng <= ?', 'd.lat >= ?', 'd.lat <= ?'];
    const params: Params = [path, prefixUpperBound(path), west, east, south, north];
    if (q.open) where.push("d.status NOT IN ('resolved', 'closed')");
    for (const [value, sql] of [[q.from, 'd.created_at >= ?'], [q.to, 'd.created_at < ?'], [q.severity, 'd.severity = ?']] as const) {
      if (value === undefined) continue;
      where.push(sql);
      params.push(value);
    }
    const clause = where.join(' AND ');
    const items = await this.db.all<MapDanger>(
      `SELECT d.id, d.lng, d.lat, d.severity, d.status, d.category, d.camera_id AS cameraId, d.camera_name AS cameraName,
              d.created_at AS createdAt
       FROM dangers d WHERE ${clause} ORDER BY d.id DESC LIMIT ?`,
      [...params, limit + 1],
    );
    if (items.length <= limit) return { items, total: items.length };
    const total = (await this.db.get<{ n: number }>(`SELECT count(*) AS n FROM dangers d WHERE ${clause}`, params))?.n ?? 0;
    return { items: items.slice(0, limit), total };
  }

  /** Open dangers per unit subtree, for the given units (by path). */
  async openDangers(units: ReadonlyArray<{ id: number; path: string }>): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    for (const u of units) {
      const row = await this.db.get<{ n: number }>(
        "SELECT count(*) AS n FROM dangers WHERE org_path >= ? AND org_path < ? AND status NOT IN ('resolved', 'closed')",
        [u.path, prefixUpperBound(u.path)],
      );
      out.set(u.id, row?.n ?? 0);
    }
    return out;
  }

  async shapes(ids: readonly number[]): Promise<Map<number, UnitShape>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.all<{ id: number; geometry: string; w: number; s: number; e: number; n: number; lx: number; ly: number }>(
      `SELECT org_unit_id AS id, geometry, min_lng AS w, min_lat AS s, max_lng AS e, max_lat AS n, label_lng AS lx, label_lat AS ly
       FROM org_unit_shapes WHERE org_unit_id IN (${ids.map(() => '?').join(',')})`,
      [...ids],
    );
    return new Map(rows.map((r) => [r.id, { orgUnitId: r.id, geometry: r.geometry, bbox: [r.w, r.s, r.e, r.n], label: [r.lx, r.ly] }]));
  }

  async saveShape(shape: UnitShape, db: Queryable = this.db): Promise<void> {
    const [w, s, e, n] = shape.bbox;
    await db.run(
      `INSERT INTO org_unit_shapes (org_unit_id, geometry, min_lng, min_lat, max_lng, max_lat, label_lng, label_lat)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(org_unit_id) DO UPDATE SET geometry = excluded.geometry, min_lng = excluded.min_lng, min_lat = excluded.min_lat,
         max_lng = excluded.max_lng, max_lat = excluded.max_lat, label_lng = excluded.label_lng, label_lat = excluded.label_lat`,
      [shape.orgUnitId, shape.geometry, w, s, e, n, shape.label[0], shape.label[1]],
    );
  }

  async layerKeys(): Promise<string[]> {
    return (await this.db.all<{ key: string }>('SELECT key FROM map_layers ORDER BY key')).map((r) => r.key);
  }

  async layer(key: string): Promise<string | undefined> {
    return (await this.db.get<{ geojson: string }>('SELECT geojson FROM map_layers WHERE key = ?', [key]))?.geojson;
  }

  async saveLayer(key: string, geojson: string, db: Queryable = this.db): Promise<void> {
    await db.run(
      'INSERT INTO map_layers (key, geojson, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET geojson = excluded.geojson, updated_at = excluded.updated_at',
      [key, geojson, new Date().toISOString()],
    );
  }

  /** Search for the map's search box: units by name inside the path (with their shape's box if any). */
  async searchUnits(path: string, q: string, limit: number): Promise<Array<{ id: number; name: string; level: string; bbox: BBox | null; label: [number, number] | null }>> {
    const rows = await this.db.all<{ id: number; name: string; level: string; w: number | null; s: number; e: number; n: number; lx: number; ly: number }>(
      `SELECT u.id, u.name, u.level, s.min_lng AS w, s.min_lat AS s, s.max_lng AS e, s.max_lat AS n, s.label_lng AS lx, s.label_lat AS ly
       FROM org_units u LEFT JOIN org_unit_shapes s ON s.org_unit_id = u.id
       WHERE u.path >= ? AND u.path < ? AND (instr(u.name, ?) > 0 OR u.code = ?) ORDER BY length(u.path), u.code LIMIT ?`,
      [path, prefixUpperBound(path), q, q, limit],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, level: r.level, bbox: r.w === null ? null : [r.w, r.s, r.e, r.n], label: r.w === null ? null : [r.lx, r.ly] }));
  }

  async searchDangers(path: string, q: string, limit: number): Promise<MapDanger[]> {
    const id = /^\d+$/.test(q) ? Number(q) : -1;
    return this.db.all<MapDanger>(
      `SELECT d.id, d.lng, d.lat, d.severity, d.status, d.category, d.camera_id AS cameraId, d.camera_name AS cameraName, d.created_at AS createdAt
       FROM dangers d WHERE d.org_path >= ? AND d.org_path < ? AND d.lat IS NOT NULL AND (d.id = ? OR instr(d.camera_name, ?) > 0 OR instr(d.address, ?) > 0)
       ORDER BY d.id DESC LIMIT ?`,
      [path, prefixUpperBound(path), id, q, q, limit],
    );
  }
}
