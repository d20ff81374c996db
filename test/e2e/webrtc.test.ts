// The steered tile's low-latency path in Debian's Chromium: a county operator focuses a dome's picture (steering) and
// the tile switches to WebRTC (WHEP) — the label says 低延时, the WebRTC <video> plays (currentTime advances) and the
// HLS picture stayed on screen until then; a second operator steering while the low-latency cap (1) is taken is
// refused and keeps playing over HLS, the label saying HLS with the reason.
//
// Demo camera indexes reserved for this file: 180–189. Used: 182 (东城小区21号楼单元门-68, made a PTZ dome here: the
// simulator plays the dome's views, the catalogue row gets the PTZ flag).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCamera, startCamera, type SimCamera } from '../../scripts/simulator';
import { TEST_SIMULATOR_NET } from '../helpers/app';
import {
  closeAll, demoCamera, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE,
  openCameraFromSearch, screenshot, startServer, waitUntilPlaying, type E2EServer,
} from '../helpers/browser';

const DOME = demoCamera(182);
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 150 });

interface LowLatencySample { found: boolean; state: string | null; currentTime: number; readyState: number; videoWidth: number }

function sampleLowLatency(page: Page, cameraId: number): Promise<LowLatencySample> {
  return page.evaluate((id) => {
    const v = document.querySelector<HTMLVideoElement>(`.wall-grid video[data-ll-camera-id="${id}"]`);
    return v
      ? { found: true, state: v.dataset.state ?? null, currentTime: v.currentTime, readyState: v.readyState, videoWidth: v.videoWidth }
      : { found: false, state: null, currentTime: 0, readyState: 0, videoWidth: 0 };
  }, cameraId);
}

const transport = (page: Page, cameraId: number) =>
  page.locator(`.tile:has(video[data-camera-id="${cameraId}"]) .tile-transport`);

describe.skipIf(!hasChromium)('low-latency (WebRTC) steered tile in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let dome: SimCamera;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ webrtc: { maxSessions: 1, bindAddress: '127.0.0.1', announceAddress: '' } });
    await server.t.app.db.run('UPDATE cameras SET ptz = 1 WHERE id = ?', [DOME.id]);
    dome = await startCamera({ ...planCamera(DOME.seed, TEST_SIMULATOR_NET), ptz: true });
    expect(dome.spec.fixture).toBe('h264');
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => dome?.close());
  });

  it('switches the steered tile to WebRTC without blanking it, and the WebRTC picture plays', async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await loginThroughForm(page, 'county', 'county123');
    await page.locator('.layout-btn[data-layout="1"]').click();
    await openCameraFromSearch(page, DOME);
    await waitUntilPlaying(page, DOME.id);
    await poll(() => transport(page, DOME.id).getAttribute('data-transport')).toBe('hls');

    // Watch the tile from inside the page: from the moment steering starts until WebRTC shows, the HLS picture must
    // keep a frame (never blank), and the WebRTC video must not show before it has one.
    await page.evaluate((id) => {
      const w = window as unknown as { __blank: number };
      w.__blank = 0;
      const hls = document.querySelector<HTMLVideoElement>(`.wall-grid video[data-camera-id="${id}"]`)!;
      const check = () => {
        const ll = document.querySelector<HTMLVideoElement>(`.wall-grid video[data-ll-camera-id="${id}"]`);
        const llShowing = !!ll && ll.classList.contains('showing');
        if (llShowing && ll.readyState < 2) w.__blank++;
        if (!llShowing && (hls.readyState < 2 || !hls.videoWidth)) w.__blank++;
        if (!llShowing) requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    }, DOME.id);
    await page.locator(`.ptz-surface[data-camera-id="${DOME.id}"]`).focus();

    await poll(() => transport(page, DOME.id).getAttribute('data-transport'), 40_000).toBe('webrtc');
    expect(await transport(page, DOME.id).textContent()).toBe('低延时');
    const first = await sampleLowLatency(page, DOME.id);
    expect(first).toMatchObject({ found: true, state: 'live' });
    expect(first.videoWidth).toBe(1280);
    await poll(async () => (await sampleLowLatency(page, DOME.id)).currentTime, 20_000).toBeGreaterThan(first.currentTime + 1.5);
    expect(await page.evaluate(() => (window as unknown as { __blank: number }).__blank)).toBe(0);
    expect(server.t.app.lowLatency.list()).toEqual([expect.objectContaining({ cameraId: DOME.id, state: 'connected' })]);
    await screenshot(page, 'webrtc-steered-tile');
  });

  it('a second operator steering while the cap is taken stays on HLS, told why, and keeps playing', async () => {
    const page = await (await newContext(browser, server.baseURL)).newPage();
    await loginThroughForm(page, 'dongcheng', 'town123');
    await page.locator('.layout-btn[data-layout="1"]').click();
    await openCameraFromSearch(page, DOME);
    await waitUntilPlaying(page, DOME.id);
    await page.locator(`.ptz-surface[data-camera-id="${DOME.id}"]`).focus();
    await poll(() => transport(page, DOME.id).getAttribute('data-ll-phase')).toBe('refused');
    expect(await transport(page, DOME.id).getAttribute('data-transport')).toBe('hls');
    expect(await transport(page, DOME.id).getAttribute('title')).toMatch(/limit 1/);
    expect((await sampleLowLatency(page, DOME.id)).found).toBe(false);
    await waitUntilPlaying(page, DOME.id);
    expect(server.t.app.lowLatency.size).toBe(1);
  });
});
