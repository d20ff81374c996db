// 电子地图 on the gateway's own PMTiles base map (config map.baseMap 'pmtiles') in Debian's Chromium: the page
// takes its tiles from /api/map/tiles/{z}/{x}/{y} (the county's tile decodes as an image; deeper zooms scale the
// archive's deepest tiles up) and nothing leaves the gateway's origin. The archive is written by the test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer,
} from '../helpers/browser';
import { solidPng, writePmtiles, type FixtureTile } from '../map/pmtiles-fixture';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('map on a PMTiles base map in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvc-pmtiles-e2e-'));
    // Every tile of zooms 0–2, a colour per zoom.
    const tiles: FixtureTile[] = [];
    for (let z = 0; z <= 2; z++) {
      const [r, g, b] = [[200, 230, 200], [200, 220, 240], [240, 228, 200]][z];
      const png = solidPng(r, g, b);
      for (let x = 0; x < 2 ** z; x++) for (let y = 0; y < 2 ** z; y++) tiles.push({ z, x, y, data: png });
    }
    writePmtiles(join(dir, 'base.pmtiles'), tiles);
    server = await startServer({ map: { ...loadConfig({ env: {} }).map, baseMap: 'pmtiles', pmtilesPath: join(dir, 'base.pmtiles') } });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
    rmSync(dir, { recursive: true, force: true });
  });

  it("draws the gateway's tiles under the county and asks nothing of another origin", async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    const requests: string[] = [];
    page.on('request', (r: Request) => requests.push(r.url()));
    await loginThroughForm(page, 'county', 'county123');
    await page.locator('button[data-view="map"]').click();
    await page.locator('[data-testid="map-view"]').waitFor();
    const tile = page.locator('.leaflet-tile-pane img.leaflet-tile');
    await poll(() => tile.count()).toBeGreaterThan(0);
    // Zoomed to the county, far beyond the archive's zoom 2: its zoom-2 tiles, scaled up, decoded.
    await poll(() => tile.evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth === 256).length)).toBeGreaterThan(0);
    const srcs = await tile.evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
    expect(srcs.every((s) => new URL(s).pathname.startsWith('/api/map/tiles/2/'))).toBe(true);
    await screenshot(page, 'map-pmtiles');
    const origin = new URL(server.baseURL).origin;
    expect(requests.filter((u) => u.startsWith('http') && new URL(u).origin !== origin)).toEqual([]);
    await page.close();
  });
});
