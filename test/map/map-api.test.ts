// The map API (电子地图) on the demo county: cameras in a box as clusters and points, never outside the caller's
// area; the R*Tree follows camera writes; dangers in a box; unit boundaries with counts; the demo's ground agrees
// with its tree (every camera inside its unit's boundary); search; placing a camera (admin, audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapCameras, MapConfig, MapDangers, MapSearch, MapUnits } from '../../server/contracts/map';
import { generateCounty } from '../../server/demo/county';
import { inScope } from '../../server/domain/scope';
import { api, buildWorld, dangerBody, type World } from '../dispatch/helpers';
import { DEMO, login, type Login } from '../helpers/app';

let w: World;
let admin: Login;
const WORLD = 'west=100&south=10&east=140&north=50';

beforeAll(async () => {
  w = await buildWorld();
  admin = await login(w.t.app, ...DEMO.admin);
});
afterAll(() => w.t.close());

const get = <T>(who: Login, url: string) => api(w.t).get<T>(who, url);

/** Even-odd ray casting: is the point inside the ring? */
function inside(ring: number[][], [x, y]: [number, number]): boolean {
  let hit = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) hit = !hit;
  }
  return hit;
}

describe('map API', () => {
  it('clusters at low zoom add up to every camera of the area; a township officer counts only the township', async () => {
    const all = await get<MapCameras>(w.county, `/api/map/cameras?${WORLD}&zoom=8`);
    expect(all.status).toBe(200);
    expect(all.body.mode).toBe('clusters');
    expect(all.body.total).toBe(await w.t.app.repos.cameras.count());
    const dc = await get<MapCameras>(w.dongcheng, `/api/map/cameras?${WORLD}&zoom=8`);
    const dcUnit = (await w.t.app.repos.orgUnits.byId(w.units.dongcheng))!;
    expect(dc.body.total).toBe((await w.t.app.repos.cameras.list(dcUnit.path, { limit: 1 })).total);
    expect(dc.body.total).toBeLessThan(all.body.total);
    // Coarser zooms are summed from the finest wide zoom's cells: every zoom counts the same cameras, in fewer cells.
    const byZoom = await Promise.all([5, 9, 11, 12, 13, 14].map((z) => get<MapCameras>(w.county, `/api/map/cameras?${WORLD}&zoom=${z}`)));
    for (const r of byZoom) expect(r.body.total).toBe(all.body.total);
    const cells = byZoom.map((r) => r.body.clusters.length);
    expect(cells).toEqual([...cells].sort((a, b) => a - b));
    expect(cells[0]).toBeLessThan(cells[3]);
    // A one-camera cell names its camera; a larger one does not.
    for (const c of byZoom[5].body.clusters) expect(c.id !== undefined).toBe(c.count === 1);
  });

  it('points at high zoom name each camera; a township officer gets none of another township', async () => {
    const dcUnit = (await w.t.app.repos.orgUnits.byId(w.units.dongcheng))!;
    const pts = await get<MapCameras>(w.dongcheng, `/api/map/cameras?${WORLD}&zoom=16`);
    expect(pts.body.mode).toBe('points');
    expect(pts.body.points.length).toBeGreaterThan(0);
    for (const p of pts.body.points) {
      const cam = (await w.t.app.repos.cameras.byId(p.id))!;
      expect(inScope(dcUnit.path, cam.orgPath)).toBe(true);
      expect(p).toMatchObject({ name: cam.name, network: cam.network, status: cam.status });
    }
    // A box around a 城关镇 camera: the county sees it, 东城街道 sees nothing there.
    const cg = (await w.t.app.repos.cameras.byId(w.cameras.chengguan))!;
    const box = `west=${cg.lng! - 0.0005}&south=${cg.lat! - 0.0005}&east=${cg.lng! + 0.0005}&north=${cg.lat! + 0.0005}`;
    expect((await get<MapCameras>(w.county, `/api/map/cameras?${box}&zoom=17`)).body.points.map((p) => p.id)).toContain(cg.id);
    expect((await get<MapCameras>(w.dongcheng, `/api/map/cameras?${box}&zoom=17`)).body.points).toEqual([]);
    // A unit filter outside the area is the usual 404 naming the field.
    const other = await get<{ field: string }>(w.dongcheng, `/api/map/cameras?${box}&zoom=17&orgUnitId=${w.units.chengguan}`);
    expect(other.status).toBe(404);
    expect(other.body.field).toBe('orgUnitId');
  });

  it('filters by network and status like the tree', async () => {
    const sky = await get<MapCameras>(w.county, `/api/map/cameras?${WORLD}&zoom=16&network=skynet`);
    expect(sky.body.points.length).toBeGreaterThan(0);
    expect(sky.body.points.every((p) => p.network === 'skynet')).toBe(true);
    const online = await get<MapCameras>(w.county, `/api/map/cameras?${WORLD}&zoom=16&status=online`);
    expect(online.body.points.every((p) => p.status === 'online')).toBe(true);
  });

  it('the R*Tree follows a camera moved, cleared and deleted (triggers)', async () => {
    const id = w.cameras.chengguan;
    const at = (lng: number, lat: number) => `west=${lng - 0.001}&south=${lat - 0.001}&east=${lng + 0.001}&north=${lat + 0.001}&zoom=17`;
    await w.t.app.db.run('UPDATE cameras SET lng = 121.5, lat = 31.2 WHERE id = ?', [id]);
    expect((await get<MapCameras>(w.county, `/api/map/cameras?${at(121.5, 31.2)}`)).body.points.map((p) => p.id)).toEqual([id]);
    await w.t.app.db.run('UPDATE cameras SET lng = NULL, lat = NULL WHERE id = ?', [id]);
    expect((await get<MapCameras>(w.county, `/api/map/cameras?${at(121.5, 31.2)}`)).body.points).toEqual([]);
    expect(await w.t.app.db.get('SELECT id FROM camera_rtree WHERE id = ?', [id])).toBeUndefined();
    const rtree = await w.t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM camera_rtree');
    const located = await w.t.app.db.get<{ n: number }>('SELECT count(*) AS n FROM cameras WHERE lat IS NOT NULL AND lng IS NOT NULL');
    expect(rtree!.n).toBe(located!.n);
  });

  it('an admin places a camera (audited camera.place); others may not', async () => {
    const id = w.cameras.chengguan;
    const body = { lng: 119.5, lat: 29.2 };
    const denied = await w.t.app.inject({ method: 'PUT', url: `/api/map/cameras/${id}/place`, headers: w.county.headers, payload: body });
    expect(denied.statusCode).toBe(403);
    const bad = await w.t.app.inject({ method: 'PUT', url: `/api/map/cameras/${id}/place`, headers: admin.headers, payload: { lng: 200, lat: 29 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('lng');
    const ok = await w.t.app.inject({ method: 'PUT', url: `/api/map/cameras/${id}/place`, headers: admin.headers, payload: body });
    expect(ok.statusCode).toBe(204);
    expect(await w.t.app.repos.cameras.byId(id)).toMatchObject(body);
    const [audit] = await w.t.app.repos.audit.recent(1, 'camera.place');
    expect(audit).toMatchObject({ targetId: String(id) });
    expect(audit.detail).toContain('119.5');
  });

  it('dangers in a box: open ones of the area, with severity and state; a closed range finds none', async () => {
    const cam = (await w.t.app.repos.cameras.byId(w.cameras.dongfeng))!;
    const created = await api(w.t).post<{ id: number }>(w.county, '/api/dangers', dangerBody(cam.id, { severity: 'critical' }));
    expect(created.status).toBe(201);
    const list = await get<MapDangers>(w.dongcheng, `/api/map/dangers?${WORLD}`);
    expect(list.body.items).toEqual([expect.objectContaining({ id: created.body.id, severity: 'critical', status: 'reported', lng: cam.lng, lat: cam.lat })]);
    expect((await get<MapDangers>(w.chengguan, `/api/map/dangers?${WORLD}`)).body.items).toEqual([]);
    const past = await get<MapDangers>(w.county, `/api/map/dangers?${WORLD}&to=2020-01-01T00:00:00Z`);
    expect(past.body.items).toEqual([]);
  });

  it('unit boundaries with counts; the demo ground puts every camera inside its unit', async () => {
    const res = await get<MapUnits>(w.county, '/api/map/units');
    expect(res.status).toBe(200);
    const county = generateCounty();
    expect(res.body.units.length).toBe(county.units.filter((u) => u.level === 'township').length);
    const dc = res.body.units.find((u) => u.id === w.units.dongcheng)!;
    expect(dc.geometry).toMatchObject({ type: 'Polygon' });
    expect(dc.cameraCount).toBeGreaterThan(0);
    expect(dc.openDangers).toBeGreaterThanOrEqual(1);
    // Another township's children are not the officer's to see.
    expect((await get(w.dongcheng, `/api/map/units?parentId=${w.units.chengguan}`)).status).toBe(404);
    const shapes = new Map(county.geography.shapes.map((s) => [s.code, s.geometry.coordinates[0]]));
    for (const c of county.cameras) expect(inside(shapes.get(c.orgUnitCode)!, [c.lng, c.lat]), c.name).toBe(true);
  });

  it('config: no base map by default, the offline layers, the caller’s extent; a layer is GeoJSON', async () => {
    const cfg = await get<MapConfig>(w.dongcheng, '/api/map/config');
    expect(cfg.body).toMatchObject({ baseMap: 'none', tileUrl: null, coordSystem: 'wgs84', layers: ['roads', 'water'], unitId: w.units.dongcheng });
    expect(cfg.body.extent).toHaveLength(4);
    const roads = await w.t.app.inject({ url: '/api/map/layers/roads', headers: { cookie: w.county.cookie } });
    expect(roads.headers['content-type']).toContain('application/geo+json');
    expect(roads.json().features.length).toBeGreaterThan(5);
    expect((await w.t.app.inject({ url: '/api/map/layers/nothing', headers: { cookie: w.county.cookie } })).statusCode).toBe(404);
  });

  it('search finds cameras and units of the area only', async () => {
    const cg = (await w.t.app.repos.orgUnits.byId(w.units.chengguan))!;
    const county = await get<MapSearch>(w.county, `/api/map/search?q=${encodeURIComponent(cg.name)}`);
    expect(county.body.hits.some((h) => h.kind === 'unit' && h.id === cg.id)).toBe(true);
    const dc = await get<MapSearch>(w.dongcheng, `/api/map/search?q=${encodeURIComponent(cg.name)}`);
    expect(dc.body.hits).toEqual([]);
  });
});
