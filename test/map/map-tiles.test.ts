// The gateway serves its own base map from a PMTiles archive (config map.baseMap 'pmtiles'): the page's config
// names /api/map/tiles/{z}/{x}/{y}, every tile comes back byte for byte with its type, a tile the archive lacks
// is a 404, and only signed-in staff get tiles. The archive is written here from the spec (pmtiles-fixture.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zxyToTileId } from 'pmtiles';
import type { MapConfig } from '../../server/contracts/map';
import { ConfigError, loadConfig } from '../../server/config';
import { openTileArchive } from '../../server/map/tile-archive';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { tileId, writePmtiles, type FixtureTile } from './pmtiles-fixture';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const tile = (z: number, x: number, y: number): FixtureTile => ({ z, x, y, data: Buffer.concat([PNG, Buffer.from(`tile ${z}/${x}/${y}`)]) });
// Zoom 0, all of zoom 1, and a few of zoom 2 (not all: a missing one must be a 404).
const TILES = [tile(0, 0, 0), tile(1, 0, 0), tile(1, 1, 0), tile(1, 0, 1), tile(1, 1, 1), tile(2, 3, 1), tile(2, 0, 3), tile(2, 2, 2)];

let dir: string;
let archive: string;
let t: TestApp;
let county: Login;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cvc-pmtiles-'));
  archive = join(dir, 'county.pmtiles');
  writePmtiles(archive, TILES);
  const base = loadConfig({ env: {} }).map;
  t = await buildTestApp({ map: { ...base, baseMap: 'pmtiles', pmtilesPath: archive } });
  county = await login(t.app, ...DEMO.county);
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('PMTiles base map served by the gateway', () => {
  it('the fixture numbers tiles as the spec does (checked against the reader package on a few)', () => {
    for (const [z, x, y] of [[0, 0, 0], [1, 1, 0], [2, 3, 1], [5, 17, 9], [12, 3000, 1700]]) expect(tileId(z, x, y)).toBe(zxyToTileId(z, x, y));
  });

  it("the page's config names the gateway's tile route and the archive's zooms", async () => {
    const res = await t.app.inject({ url: '/api/map/config', headers: county.headers });
    expect(res.statusCode).toBe(200);
    expect(res.json<MapConfig>()).toMatchObject({ baseMap: 'pmtiles', tileUrl: '/api/map/tiles/{z}/{x}/{y}', tileZooms: [0, 2] });
  });

  it('serves every tile byte for byte as image/png; a tile the archive lacks is a 404', async () => {
    for (const { z, x, y, data } of TILES) {
      const res = await t.app.inject({ url: `/api/map/tiles/${z}/${x}/${y}`, headers: county.headers });
      expect(res.statusCode, `${z}/${x}/${y}`).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.rawPayload.equals(data), `${z}/${x}/${y}`).toBe(true);
    }
    for (const [z, x, y] of [[2, 1, 1], [3, 0, 0], [2, 9, 0], [1, 2, 0]]) {
      const res = await t.app.inject({ url: `/api/map/tiles/${z}/${x}/${y}`, headers: county.headers });
      expect(res.statusCode, `${z}/${x}/${y}`).toBe(404);
    }
    expect((await t.app.inject({ url: '/api/map/tiles/1/a/0', headers: county.headers })).statusCode).toBe(400);
  });

  it('only signed-in staff get tiles', async () => {
    expect((await t.app.inject({ url: '/api/map/tiles/0/0/0' })).statusCode).toBe(401);
  });

  it('a pmtiles base map needs a path; vector archives and other files are refused at start', async () => {
    let err: unknown;
    try {
      loadConfig({ env: { CONSOLE_MAP_BASE: 'pmtiles' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('map.pmtilesPath');
    expect(loadConfig({ env: { CONSOLE_MAP_BASE: 'pmtiles', CONSOLE_MAP_PMTILES: archive } }).map.pmtilesPath).toBe(archive);
    const vector = join(dir, 'vector.pmtiles');
    writePmtiles(vector, [tile(0, 0, 0)], 1);
    await expect(openTileArchive(vector)).rejects.toThrow(/not a raster/);
    await expect(openTileArchive(join(dir, 'missing.pmtiles'))).rejects.toThrow(/ENOENT/);
    const notArchive = join(dir, 'not.pmtiles');
    writeFileSync(notArchive, Buffer.from('not a pmtiles archive at all'));
    await expect(openTileArchive(notArchive)).rejects.toThrow(/magic/i);
  });
});
