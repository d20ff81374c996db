// The video wall in Debian's Chromium (issue 6, and issue 4's browser test): a county operator logs in through the
// form, opens four simulated cameras into a 2×2 wall through the tree, every tile plays moving, non-black frames via
// hls.js; layouts switch without losing cameras; the H.265 tile plays (transcoded where Chromium has no HEVC); a township officer sees only
// its township and is refused another township's live URL. Screenshots go to artifacts/e2e/.
//
// Demo camera indexes reserved for this file: 0–29 (database ids 1–30, simulated at 127.77.1.1–127.77.1.30, see TEST_SIMULATOR_NET).
// Used: 1 (城关镇东风社区), 12 and 13 (西湖镇), 16 (南山乡) play in the 2×2 wall; 15 (南山乡水库大坝) is the H.265 camera;
// 17 (南山乡新华村商业街) goes offline and comes back.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEVC_PROBE } from '../../web/src/components/player/player-logic';
import { zh } from '../../web/src/i18n/zh';
import {
  closeAll, demoCamera, demoUnits, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE,
  openCameraFromSearch, sampleVideo, screenshot, startDemoCameras, startServer, waitFor, waitUntilPlaying,
  type CameraSet, type E2EServer,
} from '../helpers/browser';

const WALL = [1, 12, 13, 16].map(demoCamera);
const OUTAGE = demoCamera(17);
const HEVC = demoCamera(15);
const LAYOUT_NAME = '四路测试画面';
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** expect.poll with a limit fit for a loaded 2-core machine (vitest's default is 1 s). No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('video wall in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  let county: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    cams = await startDemoCameras([...WALL, HEVC, OUTAGE].map((c) => c.index));
    browser = await launchBrowser();
    county = await newContext(browser, server.baseURL);
    page = await county.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  const tileCamera = (slot: number) =>
    page.locator(`.wall-grid .tile[data-slot="${slot}"] video`).getAttribute('data-camera-id', { timeout: 5_000 }).catch(() => null);

  it('a county operator logs in through the form and sees every township in the tree', async () => {
    await loginThroughForm(page, 'county', 'county123');
    await poll(() => page.locator('[data-testid="user-role"]').textContent()).toBe(zh['role.county_operator']);
    // The root row (the county) and its townships once expanded.
    await page.locator('.org-row').first().waitFor();
    await poll(() => page.locator('.org-row .org-name').first().textContent()).toBe('安澜县');
    const townships = demoUnits.filter((u) => u.level === 'township').map((u) => u.name);
    const root = page.locator('.org-row').first();
    if ((await root.getAttribute('aria-expanded')) !== 'true') await root.locator('.twisty').click();
    await poll(() => page.locator('.org-row .org-name').allTextContents()).toEqual(
      expect.arrayContaining(townships),
    );
  });

  it('opens four cameras into the 2×2 wall and every tile plays moving, non-black frames', async () => {
    await page.locator('.layout-btn[data-layout="4"]').click();
    await poll(() => page.locator('.wall-grid').getAttribute('data-layout')).toBe('4');
    for (const camera of WALL) await openCameraFromSearch(page, camera);
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(4);
    for (const [slot, camera] of WALL.entries()) expect(await tileCamera(slot)).toBe(String(camera.id));

    for (const camera of WALL) {
      const { first, last } = await waitUntilPlaying(page, camera.id);
      // The simulator's 720p test pattern: a real picture has brightness and contrast, a black frame has neither.
      expect(first.videoWidth).toBe(1280);
      expect(first.videoHeight).toBe(720);
      expect(first.lumaMean!).toBeGreaterThan(30);
      expect(first.lumaStd!).toBeGreaterThan(15);
      expect(last.currentTime).toBeGreaterThan(first.currentTime);
      expect(last.lumaStd!).toBeGreaterThan(15);
    }
    // Each tile header tells the state the player reached.
    await poll(() => page.locator('.wall-grid .tile-state.live').count()).toBe(4);
    await screenshot(page, 'wall-county-2x2');
  });

  it('switches layouts and keeps the cameras in their tiles', async () => {
    await page.locator('.layout-btn[data-layout="9"]').click();
    await poll(() => page.locator('.wall-grid').getAttribute('data-layout')).toBe('9');
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(9);
    await poll(() => page.locator('.layout-btn[data-layout="9"]').getAttribute('aria-pressed')).toBe('true');
    for (const [slot, camera] of WALL.entries()) expect(await tileCamera(slot)).toBe(String(camera.id));
    for (const camera of WALL) await waitUntilPlaying(page, camera.id, 1);

    // Down to one tile: only the first camera stays on the wall; the others are kept, not playing.
    await page.locator('.layout-btn[data-layout="1"]').click();
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(1);
    await poll(() => page.locator('.wall-grid video[data-camera-id]').count()).toBe(1);
    expect(await tileCamera(0)).toBe(String(WALL[0].id));

    // Back to 2×2: all four return and play again.
    await page.locator('.layout-btn[data-layout="4"]').click();
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(4);
    for (const [slot, camera] of WALL.entries()) expect(await tileCamera(slot)).toBe(String(camera.id));
    for (const camera of WALL) await waitUntilPlaying(page, camera.id, 1);
  });

  it('saves the wall as a named layout and runs a tour (轮巡) through it, one camera per page', async () => {
    // Save the 2×2 wall as a layout of this user.
    await page.locator('[data-testid="layouts-menu"]').click();
    await page.locator('[data-testid="layout-name"]').fill(LAYOUT_NAME);
    await page.locator('[data-testid="layout-save"]').click();
    const item = page.locator('li[data-layout-id]', { hasText: LAYOUT_NAME });
    await item.waitFor();
    const layoutId = await item.getAttribute('data-layout-id');
    expect(layoutId).toMatch(/^\d+$/);
    await page.locator('[data-testid="layouts-menu"]').click(); // close the popover

    // One tile: the tour shows the saved layout's four cameras one page (one camera) at a time, every 10 s.
    await page.locator('.layout-btn[data-layout="1"]').click();
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(1);
    await page.locator('[data-testid="tour-menu"]').click();
    await page.locator('[data-testid="tour-source"]').selectOption(`layout:${layoutId}`);
    await page.locator('[data-testid="tour-interval"]').selectOption('10');
    await page.locator('[data-testid="tour-start"]').click();
    const status = page.locator('[data-testid="tour-status"]');
    await status.waitFor();
    await poll(() => status.getAttribute('data-pages')).toBe('4');
    await poll(() => status.getAttribute('data-page')).toBe('1');
    await poll(() => tileCamera(0)).toBe(String(WALL[0].id));
    await waitUntilPlaying(page, WALL[0].id, 0.5);

    // It moves on by itself (polling with a generous limit; the interval is the UI's shortest, 10 s).
    await poll(() => status.getAttribute('data-page'), 45_000).toBe('2');
    await poll(() => tileCamera(0)).toBe(String(WALL[1].id));
    await waitUntilPlaying(page, WALL[1].id, 0.5);
    // And on demand.
    await page.locator('[data-testid="tour-next"]').click();
    await poll(() => status.getAttribute('data-page')).toBe('3');
    await poll(() => tileCamera(0)).toBe(String(WALL[2].id));
    await waitUntilPlaying(page, WALL[2].id, 0.5);
    await screenshot(page, 'wall-county-tour');

    // Stopping puts the operator's wall back.
    await page.locator('[data-testid="tour-stop"]').click();
    await poll(() => status.count()).toBe(0);
    await page.locator('.layout-btn[data-layout="4"]').click();
    await poll(() => page.locator('.wall-grid .tile:not([hidden])').count()).toBe(4);
    for (const [slot, camera] of WALL.entries()) await poll(() => tileCamera(slot)).toBe(String(camera.id));
  });

  it('plays the H.265 camera: natively where this Chromium decodes HEVC, else as the server\'s H.264 transcode', async () => {
    const hevcSupported = await page.evaluate((probe) => MediaSource.isTypeSupported(probe), HEVC_PROBE);
    await page.locator('.layout-btn[data-layout="9"]').click();
    await openCameraFromSearch(page, HEVC);
    try {
      // Never the black tile, never the old "cannot play" message: moving, non-black frames (test/e2e/codecs.test.ts
      // covers the path badge and G.711 audio).
      const { first, last } = await waitUntilPlaying(page, HEVC.id, 1);
      expect(first.lumaStd!).toBeGreaterThan(15);
      expect(last.currentTime).toBeGreaterThan(first.currentTime);
      const video = page.locator(`.wall-grid video[data-camera-id="${HEVC.id}"]`);
      await poll(() => video.getAttribute('data-path')).toBe(hevcSupported ? 'native' : 'transcoded');
      // The other tiles are not disturbed by it.
      for (const camera of WALL) await waitUntilPlaying(page, camera.id, 0.5);
    } finally {
      await screenshot(page, 'wall-county-hevc');
    }
  });

  it('a camera that goes down while on the wall is shown offline in its tile, the tree and the event log without a reload', async () => {
    const sim = cams.cameras.find((c) => c.spec.index === OUTAGE.index)!;
    await openCameraFromSearch(page, OUTAGE);
    await waitUntilPlaying(page, OUTAGE.id, 0.5);
    const row = page.locator(`.cam-list .cam-row[data-camera-id="${OUTAGE.id}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('online');

    sim.setFault({ kind: 'offline' });
    try {
      await poll(() => sampleVideo(page, OUTAGE.id).then((s) => s.state), 60_000).toBe('offline');
      await poll(() => row.getAttribute('data-status')).toBe('offline');
      await page.locator('.side-pane [data-tab="events"]').click();
      await poll(() => page.locator(`.event-list li.event.offline[data-camera-id="${OUTAGE.id}"]`).count()).toBeGreaterThan(0);
      await page.locator('.side-pane [data-tab="inbox"]').click();
    } finally {
      sim.setFault({ kind: 'none' });
      await sim.settled();
    }
    // Back online: the operator reconnects the tile (unless it already came back by itself) and it plays again.
    const retry = page.locator(`.wall-grid .tile:has(video[data-camera-id="${OUTAGE.id}"]) .overlay-action`);
    if (await retry.isVisible()) await retry.click({ timeout: 5_000 }).catch(() => { /* it recovered meanwhile */ });
    await waitUntilPlaying(page, OUTAGE.id, 0.5);
    await poll(() => row.getAttribute('data-status')).toBe('online');

    // Done with the county's wall: 清空 stops every tile (and gives the 2-core machine back to the next steps).
    await page.locator('.wall-toolbar').getByRole('button', { name: zh['wall.clear'], exact: true }).click();
    await poll(() => page.locator('.wall-grid video').count()).toBe(0);
  });

  it('a township officer sees only its township, and another township’s live URL is refused', async () => {
    const context = await newContext(browser, server.baseURL);
    try {
      const town = await context.newPage();
      await loginThroughForm(town, 'chengguan', 'town123');
      await poll(() => town.locator('[data-testid="user-org"]').textContent()).toBe('城关镇');
      await town.locator('.org-row').first().waitFor();
      const root = town.locator('.org-row').first();
      await poll(() => root.locator('.org-name').textContent()).toBe('城关镇');
      if ((await root.getAttribute('aria-expanded')) === 'false') await root.locator('.twisty').click();
      const own = demoUnits.filter((u) => u.code.startsWith('339901001')).map((u) => u.name);
      await poll(() => town.locator('.org-row .org-name').allTextContents()).toEqual(
        expect.arrayContaining(own),
      );
      const names = await town.locator('.org-row .org-name').allTextContents();
      const others = demoUnits.filter((u) => u.level === 'township' && u.code !== '339901001').map((u) => u.name);
      for (const name of others) expect(names).not.toContain(name);
      expect(names).not.toContain('安澜县');

      // The camera list and search only show 城关镇's cameras: searching a 西湖镇 camera by name finds nothing.
      await town.locator('.cam-list .cam-row').first().waitFor();
      const listed = await town.locator('.cam-list .cam-row .cam-name').allTextContents();
      expect(listed.length).toBeGreaterThan(0);
      for (const name of listed) expect(name.startsWith('城关镇')).toBe(true);
      await town.locator('.tree-pane .search input[type="search"]').fill(WALL[1].seed.name);
      await poll(() => town.locator('.cam-list-footer').textContent()).toBe(zh['tree.empty']);
      expect(await town.locator('.cam-list .cam-row').count()).toBe(0);

      // Live URLs with this officer's cookie: its own camera plays, the other township's camera is absent (404).
      const ownLive = await town.request.get(`/live/${WALL[0].id}/index.m3u8`);
      expect(ownLive.status()).toBe(200);
      expect(await ownLive.text()).toMatch(/^#EXTM3U/);
      for (const camera of WALL.slice(1)) {
        const refused = await town.request.get(`/live/${camera.id}/index.m3u8`);
        expect(refused.status()).toBe(404);
      }
      expect((await town.request.get(`/api/cameras/${WALL[1].id}`)).status()).toBe(404);
      await screenshot(town, 'wall-township-chengguan');
    } finally {
      await context.close();
    }
  });

  it('a camera closed on the wall plays again when reopened after its relay stopped for lack of viewers', async () => {
    // A second gateway with a 3 s idle timeout (the default is 30 s), pulling the same simulated camera.
    const quick = await startServer({ media: { idleTimeoutSec: 3 } });
    const context = await newContext(browser, quick.baseURL);
    try {
      const p = await context.newPage();
      await loginThroughForm(p, 'county', 'county123');
      const camera = WALL[0];
      await openCameraFromSearch(p, camera);
      await waitUntilPlaying(p, camera.id, 0.5);
      await p.locator(`.wall-grid .tile:has(video[data-camera-id="${camera.id}"]) .tile-close`).click();
      await poll(() => p.locator(`.wall-grid video[data-camera-id="${camera.id}"]`).count()).toBe(0);
      // Nobody watches: the relay stops after the idle timeout.
      await waitFor('the idle relay to stop', async () => (await p.request.get('/api/live/relays')).json() as Promise<unknown[]>, (r) => r.length === 0, 30_000);
      // The camera itself is fine: an idle stop is not an outage, and the tree must not show it offline.
      await p.locator('.tree-pane .search input[type="search"]').fill(camera.seed.name);
      const row = p.locator(`.cam-list .cam-row[data-camera-id="${camera.id}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).not.toBe('offline');
      // Reopened, it plays again.
      await row.dblclick();
      await waitUntilPlaying(p, camera.id, 0.5);
    } finally {
      await closeAll(() => context.close(), () => quick.close());
    }
  });
});
