// PTZ from the wall in Debian's Chromium: a township officer (东城街道) steers a simulated dome with the keyboard on
// the focused picture and the picture changes (the dome's view colour read from the video through a canvas); the
// key released stops the head; a county operator sees "being steered by …", takes over, and the officer's wall says
// who took it; the county starts a preset tour from the menu and the dome visits the presets. Cameras without PTZ
// show no controls.
//
// Demo camera indexes reserved for this file: 60–69. Used: 68 (东城街道建设村工业园区, a PTZ dome on the 720p fixture)
// and 66 (东城街道团结社区村口, no PTZ).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zh } from '../../web/src/i18n/zh';
import {
  closeAll, demoCamera, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE,
  openCameraFromSearch, screenshot, startDemoCameras, startServer, waitUntilPlaying, type CameraSet, type E2EServer,
} from '../helpers/browser';

const DOME = demoCamera(68);
const FIXED = demoCamera(66);
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 150 });

/** The flat colours of the simulator's dome views (scripts/make-fixtures.sh PTZ_COLOURS), view 0…4. */
const VIEW_RGB = [[0xb0, 0x30, 0x20], [0xc0, 0x80, 0x10], [0x20, 0x80, 0x40], [0x20, 0x50, 0xb0], [0x80, 0x30, 0xa0]];

/** Which view the tile shows: the average colour of the picture's lower quarter (clear of the labels), nearest view. */
async function shownView(page: Page, cameraId: number): Promise<number | null> {
  const rgb = await page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`.wall-grid video[data-camera-id="${id}"]`);
    if (!video || video.readyState < 2 || !video.videoWidth) return null;
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 36;
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(video, 0, 0, 64, 36);
    const { data } = ctx.getImageData(0, 27, 64, 9);
    const sum = [0, 0, 0];
    for (let i = 0; i < data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += data[i + c];
    return sum.map((s) => s / (data.length / 4));
  }, cameraId);
  if (!rgb) return null;
  const dist = VIEW_RGB.map((v) => v.reduce((d, x, c) => d + (x - rgb[c]) ** 2, 0));
  return dist.indexOf(Math.min(...dist));
}

describe.skipIf(!hasChromium)('PTZ from the wall in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  let town: BrowserContext;
  let county: BrowserContext;
  let townPage: Page;
  let countyPage: Page;
  const dome = () => cams.cameras.find((c) => c.spec.index === DOME.index)!;

  beforeAll(async () => {
    expect(DOME.seed.ptz).toBe(true);
    expect(FIXED.seed.ptz).toBe(false);
    server = await startServer();
    cams = await startDemoCameras([DOME.index, FIXED.index]);
    expect(dome().spec.fixture).toBe('h264');
    browser = await launchBrowser();
    town = await newContext(browser, server.baseURL);
    county = await newContext(browser, server.baseURL);
    townPage = await town.newPage();
    countyPage = await county.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  it('a township officer steers the dome with the keyboard and sees the picture change; releasing the key stops it', async () => {
    await loginThroughForm(townPage, 'dongcheng', 'town123');
    await townPage.locator('.layout-btn[data-layout="4"]').click();
    await openCameraFromSearch(townPage, FIXED);
    await openCameraFromSearch(townPage, DOME);
    await waitUntilPlaying(townPage, DOME.id);
    await poll(() => shownView(townPage, DOME.id)).toBe(2); // home

    const surface = townPage.locator(`.ptz-surface[data-camera-id="${DOME.id}"]`);
    await surface.waitFor({ state: 'visible' });
    // The fixed camera's tile has no PTZ controls.
    await waitUntilPlaying(townPage, FIXED.id);
    expect(await townPage.locator(`.ptz-surface[data-camera-id="${FIXED.id}"]`).count()).toBe(0);

    await surface.focus();
    await townPage.keyboard.down('ArrowRight');
    // Held: the keep-alives keep it turning well past one second (the watchdog would stop a silent move).
    await poll(() => dome().stats().ptz!.pan, 20_000).toBeGreaterThan(0.75);
    expect(dome().stats().ptz!.moving).toBe(true);
    await townPage.keyboard.up('ArrowRight');
    await poll(() => dome().stats().ptz!.moving).toBe(false);
    expect(dome().stats().ptz!.view).toBe(4);
    await poll(() => shownView(townPage, DOME.id)).toBe(4);
    await poll(() => townPage.locator('.ptz-badge.mine').textContent()).toContain(zh['ptz.steeringYou']);
    await screenshot(townPage, 'ptz-steered');

    // Zoom with + and back to the left with the pad's button.
    await surface.focus();
    await townPage.keyboard.down('+');
    await poll(() => dome().stats().ptz!.zoom).toBeGreaterThan(0.1);
    await townPage.keyboard.up('+');
    await poll(() => dome().stats().ptz!.moving).toBe(false);
  });

  it('presets from the menu: save here, go home, go back to it', async () => {
    const tile = townPage.locator(`.tile:has(.ptz-surface[data-camera-id="${DOME.id}"])`);
    await tile.hover();
    await tile.locator('[data-action="ptz-presets"]').click();
    await tile.locator('.ptz-presets form input').fill('东侧厂房');
    await tile.locator('.ptz-presets form button[type="submit"]').click();
    await poll(() => tile.locator('[data-action="ptz-goto"]').allTextContents()).toContain('东侧厂房');
    await tile.locator('[data-action="ptz-home"]').click();
    await poll(() => dome().stats().ptz!.view).toBe(2);
    await poll(() => shownView(townPage, DOME.id)).toBe(2);
    await tile.locator('[data-action="ptz-goto"]', { hasText: '东侧厂房' }).click();
    await poll(() => dome().stats().ptz!.view).toBe(4);
    await poll(() => shownView(townPage, DOME.id)).toBe(4);
  });

  it('the county sees who steers, takes over, and the township officer is told who took it', async () => {
    await loginThroughForm(countyPage, 'county', 'county123');
    await openCameraFromSearch(countyPage, DOME);
    const badge = countyPage.locator('.ptz-badge');
    await poll(() => badge.textContent()).toContain(zh['ptz.steeredBy'].replace('{name}', '').trim().slice(0, 3));
    expect(await badge.getAttribute('data-holder')).toBeTruthy();
    await badge.locator('[data-action="ptz-take-over"]').click();
    await poll(() => countyPage.locator('.ptz-badge.mine').count()).toBe(1);
    const countyName = (await countyPage.locator('[data-testid="user-name"]').textContent())!.trim();
    await poll(() => townPage.locator('.ptz-notice').textContent()).toContain(zh['ptz.takenBy'].replace('{name}', countyName));
    await poll(() => townPage.locator('.ptz-badge').getAttribute('data-holder')).toBe(countyName);
    expect(await townPage.locator('.ptz-badge [data-action="ptz-take-over"]').count()).toBe(0); // a township cannot take it back
    await screenshot(townPage, 'ptz-taken-over');

    // The county steers now: the officer's keys are refused and do not move the head.
    const pan = dome().stats().ptz!.pan;
    const surface = townPage.locator(`.ptz-surface[data-camera-id="${DOME.id}"]`);
    await surface.focus();
    await townPage.keyboard.down('ArrowLeft');
    await poll(() => townPage.locator('.ptz-notice').textContent()).toMatch(/steering/);
    await townPage.keyboard.up('ArrowLeft');
    expect(dome().stats().ptz!.pan).toBe(pan);
  });

  it('the county releases the camera and starts a preset tour (巡航) from the menu; the dome visits the presets', async () => {
    await countyPage.locator('[data-action="ptz-release"]').click();
    await poll(() => countyPage.locator('.ptz-badge').count()).toBe(0);
    const tile = countyPage.locator(`.tile:has(.ptz-surface[data-camera-id="${DOME.id}"])`);
    await tile.hover();
    await tile.locator('[data-action="ptz-presets"]').click();
    const tour = tile.locator('[data-testid="ptz-tour"]');
    await tour.waitFor();
    await tour.locator('input[data-token="2"]').check();
    await tour.locator('input[data-token="3"]').check();
    await tour.locator('input[type="number"]').fill('3');
    await tour.locator('[data-action="ptz-tour-start"]').click();
    await poll(() => tour.textContent()).toContain(zh['ptz.tourOn'].replace('{count}', '2').replace('{sec}', '3'));
    await poll(() => Math.abs(dome().stats().ptz!.pan - 0.5) < 0.01).toBe(true);
    await poll(() => Math.abs(dome().stats().ptz!.pan + 0.6) < 0.01).toBe(true);
    await tour.locator('[data-action="ptz-tour-stop"]').click();
    await poll(() => tour.textContent()).toContain(zh['ptz.tourOff']);
  });
});
