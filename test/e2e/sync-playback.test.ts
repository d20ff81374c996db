// Synchronised playback (多画面同步回放, issue #17) in Chromium: four tiles play live; the toolbar's 同步回放 takes
// every tile to the same moment of its camera's past (here in the rewind ring, 15 s back), they play in step (the
// moments shown within 1.5 s of each other and of the wall's clock), a pause in one tile pauses all, and ending the
// sync returns every tile to live.
//
// Demo camera indexes reserved for this file: 82–85 (database ids 83–86).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll, demoCamera, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, openCameraFromSearch,
  screenshot, startDemoCameras, startServer, waitFor, waitUntilPlaying, type CameraSet, type E2EServer,
} from '../helpers/browser';

const CAMERAS = [82, 83, 84, 85].map(demoCamera);
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!hasChromium)('synchronised playback of a four-tile wall', { timeout: 240_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    cams = await startDemoCameras(CAMERAS.map((c) => c.index));
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => cams?.close(), () => server?.close());
  });

  const bars = () => page.locator('.wall-grid [data-testid="rewind-bar"]');
  const moments = () => bars().evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-at') ?? 0)));
  const videos = () => page.locator('.wall-grid video');

  it('plays four tiles from one moment in step, pauses them together, and returns them to live', async () => {
    await loginThroughForm(page, 'county', 'county123');
    await page.locator('.layout-btn[data-layout="4"]').click();
    for (const camera of CAMERAS) await openCameraFromSearch(page, camera);
    for (const camera of CAMERAS) await waitUntilPlaying(page, camera.id);
    // Every camera's rewind ring must reach 15 s back.
    await waitFor('20 s of rewind ring on every camera', () => page.evaluate(async (ids) => {
      const now = Date.now();
      const held = await Promise.all(ids.map(async (id) => {
        const res = await fetch(`/api/recordings/${id}/timeline?from=${new Date(now - 300_000).toISOString()}&to=${new Date(now).toISOString()}`);
        const tl = await res.json() as { spans: { start: string; end: string }[] };
        return tl.spans.length ? now - Date.parse(tl.spans[0]!.start) : 0;
      }));
      return Math.min(...held);
    }, CAMERAS.map((c) => c.id)), (ms) => ms > 20_000, 90_000, 1_000);

    await page.locator('[data-testid="sync-open"]').click();
    const startLocal = await page.evaluate(() => new Date(Date.now() - 15_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19));
    await page.locator('[data-testid="sync-time"]').fill(startLocal);
    const startedAt = Date.now();
    await page.locator('[data-testid="sync-start"]').click();
    await waitFor('four bars', () => bars().count(), (n) => n === 4, 15_000);

    // In step: all four show a moment, within 1.5 s of each other, about 15 s behind now, and advancing.
    const first = await waitFor('tiles in step', moments, (m) => m.length === 4 && m.every((x) => x > 0) && Math.max(...m) - Math.min(...m) < 1_500, 60_000);
    const behind = Date.now() - Math.min(...first);
    expect(behind).toBeGreaterThan(10_000);
    expect(behind).toBeLessThan(15_000 + (Date.now() - startedAt) + 5_000);
    const later = await waitFor('advancing in step', moments, (m) => Math.min(...m) > Math.max(...first) + 1_000 && Math.max(...m) - Math.min(...m) < 1_500, 30_000);
    expect(Math.max(...later) - Math.min(...later)).toBeLessThan(1_500);
    expect(await page.locator('[data-testid="sync-clock"]').textContent()).toMatch(/\d\d:\d\d:\d\d/);
    await screenshot(page, 'sync-playback');

    // A pause in one tile pauses the wall's clock, and so every tile.
    await bars().first().locator('[data-action="pause"]').click();
    await waitFor('all paused', () => videos().evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).paused)), (p) => p.length === 4 && p.every(Boolean), 10_000);
    const frozen = await moments();
    await bars().nth(2).locator('[data-action="pause"]').click();
    await waitFor('all playing again', () => videos().evaluateAll((vs) => vs.map((v) => (v as HTMLVideoElement).paused)), (p) => p.length === 4 && p.every((x) => !x), 10_000);
    await waitFor('advancing after the pause', moments, (m) => Math.min(...m) > Math.max(...frozen) + 500, 15_000);

    // End of sync: every tile is live again.
    await page.locator('[data-testid="sync-stop"]').click();
    await waitFor('bars gone', () => bars().count(), (n) => n === 0, 15_000);
    for (const camera of CAMERAS) await waitUntilPlaying(page, camera.id);
    expect(await page.locator('.wall-grid .tile-state').allTextContents()).not.toContain('回看中');
  });
});
