// The gateway restarted mid-stream (issue 9): a county operator's tile is playing; the gateway process is killed
// (kill -9, by PID) and started again on the same port and data directory; without a page reload the tile plays
// again (currentTime advances past where it stood) and the header's realtime dot goes down and comes back up.
//
// Demo camera indexes reserved for this file: 70–79 (database ids 71–80, simulated at 127.77.1.71–, TEST_SIMULATOR_NET).
// Used: 71. The gateway is a child process (test/helpers/gateway-process.ts), not the in-process startServer.
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll, demoCamera, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, openCameraFromSearch,
  sampleVideo, screenshot, startDemoCameras, waitFor, waitUntilPlaying, type CameraSet,
} from '../helpers/browser';
import { spawnGateway, type GatewayProcess } from '../helpers/gateway-process';

const CAMERA = demoCamera(71);
const WEB_INDEX = resolve(import.meta.dirname, '../../dist/web/index.html');
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

describe.skipIf(!hasChromium)('gateway restart mid-stream', { timeout: 240_000 }, () => {
  let gateway: GatewayProcess | undefined;
  let dataDir: string | undefined;
  let cams: CameraSet;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: run "npx vite build" (npm test builds it first)`);
    gateway = await spawnGateway();
    dataDir = gateway.dataDir;
    cams = await startDemoCameras([CAMERA.index]);
    browser = await launchBrowser();
    context = await newContext(browser, gateway.baseURL);
    page = await context.newPage();
  }, 180_000);

  afterAll(async () => {
    await closeAll(
      () => browser?.close(),
      () => gateway?.stop() ?? Promise.resolve(),
      () => cams?.close(),
      async () => { if (dataDir) rmSync(dataDir, { recursive: true, force: true }); },
    );
  });

  const realtimeUp = () => page.locator('.app-header .link-state').getAttribute('class');

  it('a tile plays and the realtime link is up', async () => {
    await loginThroughForm(page, 'county', 'county123');
    await openCameraFromSearch(page, CAMERA);
    await waitUntilPlaying(page, CAMERA.id);
    await poll(realtimeUp).toContain('up');
    // A marker that a page reload would wipe.
    await page.evaluate(() => { (window as unknown as { __beforeRestart: number }).__beforeRestart = 1; });
  });

  it('after kill -9 and a restart on the same port and data, the tile plays again and the realtime link returns, without a reload', async () => {
    const { port } = gateway!;
    await gateway!.kill9();
    await poll(realtimeUp).toContain('down');
    const atKill = await sampleVideo(page, CAMERA.id);

    gateway = await spawnGateway({ dataDir, port });
    await poll(realtimeUp).toContain('up');
    // Playing again: live, and currentTime moving on past where it stood when the gateway died.
    const resumed = await waitFor(
      `camera ${CAMERA.id} to play past ${atKill.currentTime}s`,
      () => sampleVideo(page, CAMERA.id),
      (s) => s.state === 'live' && s.currentTime > atKill.currentTime + 1 && s.lumaMean !== null,
      120_000,
    );
    const { first, last } = await waitUntilPlaying(page, CAMERA.id);
    expect(last.currentTime).toBeGreaterThan(first.currentTime);
    expect(resumed.lumaStd!).toBeGreaterThan(15);
    expect(await page.evaluate(() => (window as unknown as { __beforeRestart?: number }).__beforeRestart)).toBe(1);
    await screenshot(page, 'restart-resumed');
  });
});
