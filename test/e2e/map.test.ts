// 电子地图 in Debian's Chromium (issue #20): the county operator's map paints server clusters on a canvas with no
// base-map server (nothing requested outside the gateway's origin); zoomed in, a click on a camera opens its
// popup and "open on the wall" plays it in a tile; a box selection is pushed as a layout to 东城街道, which
// receives it, and so is a lasso (polygon) selection, which holds only the cameras inside its ring; the tree's network
// chips filter the map; the heat view of open dangers follows the chosen dates; a township officer's map holds only the township's cameras and villages. No camera plays here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MapCameras, MapUnits } from '../../server/contracts/map';
import { MAX_PUSH_CAMERAS } from '../../server/domain/dispatch-limits';
import { pointInPolygon } from '../../web/src/lib/map-logic';
import type { Camera } from '../../server/contracts/api';
import { zh } from '../../web/src/i18n/zh';
import { DEMO, login, type Login } from '../helpers/app';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer,
} from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('map view in Chromium', { timeout: 240_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let county: Login;
  const requests: string[] = [];
  const ids = {} as Record<'dongcheng', number>;
  const stats = (page: Page) => page.locator('[data-testid="map-stats"]');

  const openMap = async (page: Page, username: string, password: string) => {
    page.on('request', (r: Request) => requests.push(r.url()));
    await loginThroughForm(page, username, password);
    await page.locator('button[data-view="map"]').click();
    await page.locator('[data-testid="map-view"]').waitFor();
  };

  /** Centres the map on a point at a zoom and waits for the answer of that view to be drawn. */
  const centre = async (page: Page, lng: number, lat: number, zoom: number, mode: 'points' | 'clusters') => {
    await page.evaluate(([x, y, z]) => { window.__cvcMap!.setView([y, x], z, { animate: false }); }, [lng, lat, zoom] as const);
    await poll(() => stats(page).getAttribute('data-mode')).toBe(mode);
  };

  const pixelOf = async (page: Page, lng: number, lat: number) => {
    const p = await page.evaluate(([x, y]) => window.__cvcMap!.latLngToContainerPoint([y, x]), [lng, lat] as const);
    const box = (await page.locator('[data-testid="map-canvas"]').boundingBox())!;
    return { x: box.x + p.x, y: box.y + p.y };
  };

  beforeAll(async () => {
    // Nine pages and API logins within a minute: above the default 10 sign-ins a minute from one address.
    server = await startServer({ login: { maxAttemptsPerMinute: 100 } });
    county = await login(server.t.app, ...DEMO.county);
    ids.dongcheng = (await server.t.app.repos.orgUnits.findByCode('339901002'))!.id;
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
  });

  it('clusters render on the canvas; a click on a camera opens it on the wall', async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    expect(await page.locator('button[data-view="map"]').textContent()).toBe(zh['nav.map']);
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    const total = Number(await stats(page).getAttribute('data-total'));
    expect(total).toBe(await server.t.app.repos.cameras.count());
    expect(Number(await stats(page).getAttribute('data-shown'))).toBeGreaterThan(0);
    expect(await page.locator('.leaflet-overlay-pane canvas').count()).toBeGreaterThan(0);
    await screenshot(page, 'map-clusters');

    const camera = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=1`, headers: county.headers })).json<{ items: Camera[] }>().items[0];
    await centre(page, camera.lng!, camera.lat!, 18, 'points');
    const at = await pixelOf(page, camera.lng!, camera.lat!);
    await page.mouse.click(at.x, at.y);
    const popup = page.locator('[data-testid="map-popup"]');
    await poll(() => popup.textContent()).toContain(camera.name);
    await screenshot(page, 'map-popup');
    await popup.locator('[data-testid="map-open-on-wall"]').click();
    await poll(() => page.locator('.tile .tile-name').allTextContents()).toContain(camera.name);
    await page.close();
  });

  it('a danger on the map opens its drawer', async () => {
    const camera = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=3`, headers: county.headers })).json<{ items: Camera[] }>().items[2];
    const frame = readFileSync(join(import.meta.dirname, '../dispatch/fixtures/frame.jpg')).toString('base64');
    const created = await server.t.app.inject({
      method: 'POST', url: '/api/dangers', headers: county.headers,
      payload: { cameraId: camera.id, capturedAt: new Date().toISOString(), category: 'fire', severity: 'critical', note: '地图隐患', evidenceJpeg: frame },
    });
    expect(created.statusCode).toBe(201);
    const dangerId = created.json<{ id: number }>().id;
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    await centre(page, camera.lng!, camera.lat!, 18, 'points');
    const at = await pixelOf(page, camera.lng!, camera.lat!);
    // The rings come with their own answer after the view settles: click once they are drawn (a click before hit
    // only the camera's dot, and the drawer never opened).
    // The rings come with their own answer after the view settles: click once they are drawn (a click before hit
    // only the camera's dot, and the drawer never opened).
    await poll(async () => Number(await stats(page).getAttribute('data-dangers'))).toBeGreaterThan(0);
    // On the danger's ring, beside the camera's dot (both stand at the camera's point).
    await page.mouse.click(at.x + 8, at.y);
    await poll(() => page.locator('[data-testid="danger-drawer"]').getAttribute('data-danger-id')).toBe(String(dangerId));
    await page.close();
  });

  it('the heat view warms the ground under open dangers of the chosen dates, and not outside them', async () => {
    const camera = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=4`, headers: county.headers })).json<{ items: Camera[] }>().items[3];
    const frame = readFileSync(join(import.meta.dirname, '../dispatch/fixtures/frame.jpg')).toString('base64');
    const created = await server.t.app.inject({
      method: 'POST', url: '/api/dangers', headers: county.headers,
      payload: { cameraId: camera.id, capturedAt: new Date().toISOString(), category: 'fire', severity: 'major', note: '热力隐患', evidenceJpeg: frame },
    });
    expect(created.statusCode).toBe(201);
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    await centre(page, camera.lng!, camera.lat!, 14, 'clusters');
    await page.locator('[data-testid="map-layer-heat"]').check();
    const heat = page.locator('[data-testid="map-heat"]');
    await poll(async () => Number(await heat.getAttribute('data-points'))).toBeGreaterThan(0);
    /** The heat canvas's alpha at a map point (0: nothing drawn there). */
    const alphaAt = (lng: number, lat: number) => page.evaluate(([x, y]) => {
      const p = window.__cvcMap!.latLngToContainerPoint([y, x]);
      const c = document.querySelector<HTMLCanvasElement>('[data-testid="map-heat"]')!;
      return c.getContext('2d')!.getImageData(Math.round(p.x), Math.round(p.y), 1, 1).data[3];
    }, [lng, lat] as const);
    await poll(() => alphaAt(camera.lng!, camera.lat!)).toBeGreaterThan(0);
    // Far from every danger (the view's corner, 14 zoom levels of county away from any other): cold.
    const corner = await page.evaluate(() => window.__cvcMap!.containerPointToLatLng([2, 2]));
    const near = (await server.t.app.inject({
      url: `/api/map/dangers?west=${corner.lng - 0.01}&south=${corner.lat - 0.01}&east=${corner.lng + 0.01}&north=${corner.lat + 0.01}`, headers: county.headers,
    })).json<{ total: number }>().total;
    if (near === 0) expect(await alphaAt(corner.lng, corner.lat)).toBe(0);
    await screenshot(page, 'map-heat');
    // A range of days before the danger was reported: nothing to warm.
    await page.locator('[data-testid="map-danger-range"]').selectOption('custom');
    await page.locator('[data-testid="map-danger-from"]').fill('2020-01-01');
    await page.locator('[data-testid="map-danger-to"]').fill('2020-12-31');
    await poll(async () => Number(await heat.getAttribute('data-points'))).toBe(0);
    expect(await alphaAt(camera.lng!, camera.lat!)).toBe(0);
    // Turned off, the canvas leaves the map.
    await page.locator('[data-testid="map-layer-heat"]').uncheck();
    await poll(() => heat.count()).toBe(0);
    await page.close();
  });

  it('a box selection is pushed as a layout to 东城街道, which receives it', async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    const camera = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=1`, headers: county.headers })).json<{ items: Camera[] }>().items[0];
    await centre(page, camera.lng!, camera.lat!, 17, 'points');
    await page.locator('[data-testid="map-select"]').click();
    const c = await pixelOf(page, camera.lng!, camera.lat!);
    await page.mouse.move(c.x - 60, c.y - 60);
    await page.mouse.down();
    await page.mouse.move(c.x + 60, c.y + 60, { steps: 5 });
    await page.mouse.up();
    const selection = page.locator('[data-testid="map-selection"]');
    await poll(async () => Number(await selection.getAttribute('data-count'))).toBeGreaterThan(0);
    const count = Number(await selection.getAttribute('data-count'));
    await page.locator('[data-testid="map-push-selected"]').click();
    const dialog = page.locator('[data-testid="push-dialog"]');
    await dialog.locator('select[data-field="push-to-unit"]').selectOption(String(ids.dongcheng));
    await dialog.locator('[data-field="push-note"]').fill('地图框选推送');
    await dialog.locator('[data-action="send-push"]').click();
    await dialog.waitFor({ state: 'detached' });
    const dongcheng = await login(server.t.app, ...DEMO.dongcheng);
    const pushes = (await server.t.app.inject({ url: '/api/dispatch/layouts', headers: dongcheng.headers })).json<{ items: Array<{ note: string; cameraIds: number[] }> }>();
    const pushed = pushes.items.find((p) => p.note === '地图框选推送');
    expect(pushed?.cameraIds).toContain(camera.id);
    expect(pushed?.cameraIds.length).toBe(count);
    await page.close();
  });

  it('a lasso (polygon) selection keeps only the cameras inside the ring and is pushed to 东城街道', async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    // Where 东城街道's cameras crowd (the one nearest their median point), so the ring's box holds cameras on both sides.
    const placed = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=200`, headers: county.headers }))
      .json<{ items: Camera[] }>().items.filter((c) => c.lng !== null && c.lat !== null);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const mid = { lng: median(placed.map((c) => c.lng!)), lat: median(placed.map((c) => c.lat!)) };
    const camera = placed.reduce((a, b) => (Math.hypot(b.lng! - mid.lng, b.lat! - mid.lat) < Math.hypot(a.lng! - mid.lng, a.lat! - mid.lat) ? b : a));
    await centre(page, camera.lng!, camera.lat!, 16, 'points');
    await page.locator('[data-testid="map-lasso"]').click();
    // Pixels are the map container's: the selection bar that appears after the drawing moves the canvas on the page.
    const containerOf = (lng: number, lat: number) => page.evaluate(([x, y]) => window.__cvcMap!.latLngToContainerPoint([y, x]), [lng, lat] as const);
    const frame = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    // The lasso's hint and, later, the selection bar resize the map, and Leaflet re-centres it a frame or two later:
    // draw only once the camera stays put, and judge the ring by where its corners are on the map (latitude and
    // longitude), not by pixels taken before a re-centring.
    let c = await containerOf(camera.lng!, camera.lat!);
    for (let i = 0; i < 20; i++) {
      await frame();
      await frame();
      const again = await containerOf(camera.lng!, camera.lat!);
      if (again.x === c.x && again.y === c.y) break;
      c = again;
    }
    // A triangle around the camera, drawn by hand: its box holds corners the ring leaves out.
    const triangle = [{ x: c.x, y: c.y - 110 }, { x: c.x + 120, y: c.y + 70 }, { x: c.x - 120, y: c.y + 70 }];
    const corners = await page.evaluate((pts) => pts.map((p) => window.__cvcMap!.containerPointToLatLng([p.x, p.y])), triangle);
    const drawnAt = (await page.locator('[data-testid="map-canvas"]').boundingBox())!;
    await page.mouse.move(drawnAt.x + triangle[0].x, drawnAt.y + triangle[0].y);
    await page.mouse.down();
    // Every step gets a frame of its own: Chromium coalesces mouse moves per frame, and moves merged across a corner
    // cut it off the ring (a frame per corner only was not enough: a camera just inside a corner was left out now
    // and then).
    let from = triangle[0];
    for (const v of [triangle[1], triangle[2], triangle[0]]) {
      for (let i = 1; i <= 12; i++) {
        await page.mouse.move(drawnAt.x + from.x + ((v.x - from.x) * i) / 12, drawnAt.y + from.y + ((v.y - from.y) * i) / 12);
        await frame();
      }
      from = v;
    }
    await page.mouse.up();
    const selection = page.locator('[data-testid="map-selection"]');
    await poll(async () => Number(await selection.getAttribute('data-count'))).toBeGreaterThan(0);
    const count = Number(await selection.getAttribute('data-count'));

    // What the ring should hold: every camera of the triangle's box, projected to pixels now and tested against the
    // triangle's corners projected now.
    const ring = await Promise.all(corners.map((ll) => containerOf(ll.lng, ll.lat)));
    const centroid = { x: (ring[0].x + ring[1].x + ring[2].x) / 3, y: (ring[0].y + ring[1].y + ring[2].y) / 3 };
    const lngs = corners.map((ll) => ll.lng);
    const lats = corners.map((ll) => ll.lat);
    const inBox = (await server.t.app.inject({
      url: `/api/map/cameras?west=${Math.min(...lngs)}&north=${Math.max(...lats)}&east=${Math.max(...lngs)}&south=${Math.min(...lats)}&zoom=22`, headers: county.headers,
    })).json<MapCameras>().points;
    const sure = { inside: [] as number[], outside: [] as number[] };
    for (const p of inBox) {
      const at = await containerOf(p.lng, p.lat);
      // Cameras within 3 px of an edge could fall either way (the ring is drawn every 4 px): not asserted.
      const grown = pointInPolygon(at, ring.map((v) => ({ x: centroid.x + (v.x - centroid.x) * 1.04, y: centroid.y + (v.y - centroid.y) * 1.04 })));
      const shrunk = pointInPolygon(at, ring.map((v) => ({ x: centroid.x + (v.x - centroid.x) * 0.96, y: centroid.y + (v.y - centroid.y) * 0.96 })));
      if (shrunk) sure.inside.push(p.id);
      else if (!grown) sure.outside.push(p.id);
    }
    const seen = { inBox: inBox.some((p) => p.id === camera.id), at: await containerOf(camera.lng!, camera.lat!), ring, drawnAround: c };
    expect(sure.inside, JSON.stringify(seen)).toContain(camera.id);
    // The demo county puts cameras in the box's corners too: the ring must leave them out (a box would not).
    expect(sure.outside.length).toBeGreaterThan(0);
    // The selection holds everything surely inside and nothing surely outside (counts bound it both ways).
    expect(count).toBeGreaterThanOrEqual(sure.inside.length);
    expect(count).toBeLessThanOrEqual(inBox.length - sure.outside.length);
    await screenshot(page, 'map-lasso');

    await page.locator('[data-testid="map-push-selected"]').click();
    const dialog = page.locator('[data-testid="push-dialog"]');
    await dialog.locator('select[data-field="push-to-unit"]').selectOption(String(ids.dongcheng));
    await dialog.locator('[data-field="push-note"]').fill('地图圈选推送');
    await dialog.locator('[data-action="send-push"]').click();
    await dialog.waitFor({ state: 'detached' });
    const dongcheng = await login(server.t.app, ...DEMO.dongcheng);
    const pushes = (await server.t.app.inject({ url: '/api/dispatch/layouts', headers: dongcheng.headers })).json<{ items: Array<{ note: string; cameraIds: number[] }> }>();
    const pushed = pushes.items.find((p) => p.note === '地图圈选推送');
    // A push carries at most MAX_PUSH_CAMERAS (the dialog keeps the first ones).
    expect(pushed?.cameraIds.length).toBe(Math.min(count, MAX_PUSH_CAMERAS));
    if (count <= MAX_PUSH_CAMERAS) for (const id of sure.inside) expect(pushed?.cameraIds).toContain(id);
    for (const id of sure.outside) expect(pushed?.cameraIds).not.toContain(id);
    await page.close();
  });

  it("the tree's network chip filters the map (one state: still pressed on the wall and back)", async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'county', 'county123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    const all = Number(await stats(page).getAttribute('data-total'));
    const chip = page.locator('.tree-pane .chip[data-network]').first();
    const key = (await chip.getAttribute('data-network'))!;
    const world = '/api/map/cameras?west=-180&south=-90&east=180&north=90&zoom=5';
    const expected = (await server.t.app.inject({ url: `${world}&network=${key}`, headers: county.headers })).json<MapCameras>().total;
    expect(expected).toBeGreaterThan(0);
    expect(expected).toBeLessThan(all);
    await chip.click();
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(expected);
    // The wall's tree shows the same chip pressed; back on the map, the filter still holds.
    await page.locator('button[data-view="wall"]').click();
    await poll(() => page.locator(`.tree-pane .chip[data-network="${key}"]`).getAttribute('aria-pressed')).toBe('true');
    await page.locator('button[data-view="map"]').click();
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(expected);
    await page.locator(`.tree-pane .chip[data-network="${key}"]`).click();
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(all);
    await page.close();
  });

  it("a township officer's map shows only the township", async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'dongcheng', 'town123');
    const dongcheng = await login(server.t.app, ...DEMO.dongcheng);
    const units = (await server.t.app.inject({ url: '/api/map/units', headers: dongcheng.headers })).json<MapUnits>();
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(units.parent.cameraCount);
    // Zoomed all the way out, still nothing of another township.
    await page.evaluate(() => { window.__cvcMap!.setZoom(5, { animate: false }); });
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(units.parent.cameraCount);
    const options = await page.locator('[data-testid="map-unit"] option').allTextContents();
    expect(options.slice(1).sort()).toEqual(units.units.map((u) => u.name).sort());
    await screenshot(page, 'map-township');
    // The unit picked in the tree beside the map filters the map too.
    const village = units.units.find((u) => u.cameraCount > 0)!;
    const villageRow = page.locator(`.org-row[data-unit-id="${village.id}"]`);
    if (!(await villageRow.isVisible())) await page.locator(`.org-row[data-unit-id="${units.parent.id}"] .twisty`).click();
    await villageRow.click();
    await poll(async () => Number(await stats(page).getAttribute('data-total'))).toBe(village.cameraCount);
    await page.close();
  });

  it('an administrator drags a camera without a position from the tree onto the map (audited camera.place)', async () => {
    const camera = (await server.t.app.inject({ url: `/api/cameras?orgUnitId=${ids.dongcheng}&limit=2`, headers: county.headers })).json<{ items: Camera[] }>().items[1];
    await server.t.app.db.run('UPDATE cameras SET lat = NULL, lng = NULL WHERE id = ?', [camera.id]);
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await openMap(page, 'admin', 'admin123');
    await poll(() => stats(page).getAttribute('data-mode')).toBe('clusters');
    await page.locator('.tree-pane .search input[type="search"]').fill(camera.name);
    const row = page.locator(`.cam-list .cam-row[data-camera-id="${camera.id}"]`);
    await row.waitFor();
    const canvas = page.locator('[data-testid="map-canvas"]');
    const box = (await canvas.boundingBox())!;
    const target = { x: Math.round(box.width / 2), y: Math.round(box.height / 2) };
    const expected = await page.evaluate(([x, y]) => window.__cvcMap!.containerPointToLatLng([x, y]), [target.x, target.y] as const);
    // The drop lands within a couple of pixels of the target (mouse positions are whole pixels).
    const twoPx = await page.evaluate(([x, y]) => window.__cvcMap!.containerPointToLatLng([x + 2, y + 2]), [target.x, target.y] as const);
    await row.dragTo(canvas, { targetPosition: target });
    await poll(() => page.locator('[data-testid="map-notice"]').textContent()).toContain(camera.name);
    const placed = (await server.t.app.repos.cameras.byId(camera.id))!;
    expect(Math.abs(placed.lng! - expected.lng)).toBeLessThanOrEqual(Math.abs(twoPx.lng - expected.lng));
    expect(Math.abs(placed.lat! - expected.lat)).toBeLessThanOrEqual(Math.abs(twoPx.lat - expected.lat));
    const [audit] = await server.t.app.repos.audit.recent(1, 'camera.place');
    expect(audit).toMatchObject({ targetId: String(camera.id), actorName: 'admin' });
    await page.close();
  });

  it('no request left the gateway origin', () => {
    expect(requests.length).toBeGreaterThan(10);
    const origin = new URL(server.baseURL).origin;
    const outside = requests.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
    expect(outside).toEqual([]);
  });
});
