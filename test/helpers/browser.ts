// Browser end-to-end harness: Debian's Chromium driven by playwright-core against the real app listening on
// loopback and serving dist/web, with simulated cameras for exactly the demo cameras a test opens.
//
// Network rule: everything here binds or connects to 127.0.0.0/8 only. Chromium gets a host-resolver rule that
// resolves no name but localhost, plus the switches that stop its background traffic; the page only ever talks
// to the gateway (its CSP allows 'self' only). Every browser, server and camera started here has a close().
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEMO_PLAN, generateCounty, type CameraSeed } from '../../server/demo/county';
import { planCamera, startCamera, type SimCamera } from '../../scripts/simulator';
import { buildTestApp, TEST_SIMULATOR_NET, type TestApp } from './app';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);
export const NO_CHROMIUM_MESSAGE =
  `browser e2e skipped: ${CHROMIUM_PATH} is missing (Debian's chromium package; .ci/run installs it with apt-get)`;

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = resolve(import.meta.dirname, '../../artifacts/e2e');
const WEB_INDEX = resolve(import.meta.dirname, '../../dist/web/index.html');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--mute-audio',
  '--autoplay-policy=no-user-gesture-required',
  // Belt and braces for the loopback-only rule: no name resolves except localhost, and no stray pings/reports.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
  '--no-pings',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  // WebRTC (the low-latency tile): Chromium would hide its host candidates behind mDNS names and announce them by
  // multicast on the machine's real interfaces; with raw host candidates nothing is announced, and the pair it
  // forms with the gateway's 127.0.0.1 candidate stays inside this machine.
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/**
 * Launches Chromium headless. playwright-core gives every launch a fresh temporary user-data dir
 * (playwright_chromiumdev_profile-*) and removes it on close; each newContext() is a separate profile
 * (cookies, localStorage) inside it.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

export async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 1600, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  // Generous: a loaded 2-core machine decoding several 720p tiles in software can be slow; nothing here is timed.
  context.setDefaultTimeout(60_000);
  return context;
}

/** A resident's phone: 375×667 at 2×, touch, China time. */
export async function newPhoneContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL,
    viewport: { width: 375, height: 667 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    serviceWorkers: 'block',
  });
  context.setDefaultTimeout(60_000);
  return context;
}

export interface E2EServer {
  t: TestApp;
  baseURL: string;
  close(): Promise<void>;
}

/**
 * The real app as test/helpers/app.ts builds it (temp SQLite dir, demo county seeded, simulator off), but
 * listening on 127.0.0.1 with an ephemeral port, so a browser can load dist/web from it.
 */
export async function startServer(overrides: Record<string, unknown> = {}): Promise<E2EServer> {
  if (!existsSync(WEB_INDEX)) throw new Error(`${WEB_INDEX} is missing: run "npx vite build" (npm test builds it first)`);
  const t = await buildTestApp(overrides);
  try {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (err) {
    await t.close();
    throw err;
  }
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  return { t, baseURL: `http://127.0.0.1:${address.port}`, close: () => t.close() };
}

// ---------------------------------------------------------------------------------------------------------------
// Demo cameras

const demoCounty = generateCounty(DEMO_PLAN);

export interface DemoCamera {
  /** 0-based county index; the simulator's loopback address derives from it. */
  index: number;
  /** Database id of the seeded camera: index + 1 (seeded in county order into an empty database). */
  id: number;
  seed: CameraSeed;
}

export function demoCamera(index: number): DemoCamera {
  const seed = demoCounty.cameras[index];
  if (!seed) throw new Error(`the demo county has no camera ${index}`);
  return { index, id: index + 1, seed };
}

/** The demo org unit with this code (the seed orders units the same way the database ids run). */
export function demoUnit(code: string) {
  const unit = demoCounty.units.find((u) => u.code === code);
  if (!unit) throw new Error(`the demo county has no unit ${code}`);
  return unit;
}

export const demoUnits = demoCounty.units;

export interface CameraSet {
  cameras: SimCamera[];
  close(): Promise<void>;
}

/** Starts the simulated devices of these demo cameras, in-process, each on its own loopback address. */
export async function startDemoCameras(indexes: readonly number[]): Promise<CameraSet> {
  const results = await Promise.allSettled(indexes.map((i) => startCamera(planCamera(demoCamera(i).seed, TEST_SIMULATOR_NET))));
  const cameras = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const close = async () => {
    await Promise.allSettled(cameras.map((c) => c.close()));
  };
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await close();
    // Usually EADDRINUSE: another test run holds the same 127.77.x.y addresses.
    throw new Error(`simulated camera failed to start: ${String(failed.reason)}`);
  }
  return { cameras, close };
}

// ---------------------------------------------------------------------------------------------------------------
// Page helpers

/** Logs in through the login form and waits for the console header. */
export async function loginThroughForm(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/');
  await page.locator('form.login-card input[name="username"]').fill(username);
  await page.locator('form.login-card input[name="password"]').fill(password);
  await page.locator('form.login-card button[type="submit"]').click();
  await page.locator('[data-testid="user-name"]').waitFor({ state: 'visible', timeout: 60_000 });
}

/** Finds a camera through the tree's search box and double-clicks its row into the wall. */
export async function openCameraFromSearch(page: Page, camera: DemoCamera): Promise<void> {
  const search = page.locator('.tree-pane .search input[type="search"]');
  await search.fill(camera.seed.name);
  const row = page.locator(`.cam-list .cam-row[data-camera-id="${camera.id}"]`);
  await row.waitFor({ state: 'visible' });
  await row.dblclick();
  await page.locator(`.wall-grid video[data-camera-id="${camera.id}"]`).waitFor({ state: 'attached' });
}

export interface VideoSample {
  found: boolean;
  state: string | null;
  reason: string | null;
  currentTime: number;
  readyState: number;
  videoWidth: number;
  videoHeight: number;
  /** Luma of a downscaled frame drawn into a canvas: mean and standard deviation, 0–255. Null without a frame. */
  lumaMean: number | null;
  lumaStd: number | null;
  /** Text of the tile's overlay (connecting / offline message), null when the tile shows video only. */
  overlay: string | null;
}

/** Reads a tile's <video> and samples its current frame by drawing it into a canvas inside the page. */
export async function sampleVideo(page: Page, cameraId: number): Promise<VideoSample> {
  return page.evaluate((id) => {
    const video = document.querySelector<HTMLVideoElement>(`.wall-grid video[data-camera-id="${id}"]`);
    if (!video) {
      return { found: false, state: null, reason: null, currentTime: 0, readyState: 0, videoWidth: 0, videoHeight: 0, lumaMean: null, lumaStd: null, overlay: null };
    }
    let lumaMean: number | null = null;
    let lumaStd: number | null = null;
    if (video.readyState >= 2 && video.videoWidth > 0) {
      const w = 64;
      const h = Math.max(1, Math.round((w * video.videoHeight) / video.videoWidth));
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (ctx) {
        ctx.drawImage(video, 0, 0, w, h);
        const { data } = ctx.getImageData(0, 0, w, h);
        let sum = 0;
        let sumSq = 0;
        const n = w * h;
        for (let i = 0; i < data.length; i += 4) {
          const y = 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
          sum += y;
          sumSq += y * y;
        }
        lumaMean = sum / n;
        lumaStd = Math.sqrt(Math.max(0, sumSq / n - lumaMean * lumaMean));
      }
    }
    return {
      found: true,
      state: video.getAttribute('data-state'),
      reason: video.getAttribute('data-reason'),
      currentTime: video.currentTime,
      readyState: video.readyState,
      videoWidth: video.videoWidth,
      videoHeight: video.videoHeight,
      lumaMean,
      lumaStd,
      overlay: video.closest('.player')?.querySelector('.player-overlay')?.textContent ?? null,
    };
  }, cameraId);
}

/** Polls until fn() returns a value accepted by ok, or throws after timeoutMs with the last value seen. */
export async function waitFor<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000, stepMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await fn();
    if (ok(last)) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/**
 * Waits until a tile plays: state live, a decoded frame, and currentTime moving on by at least `advanceSec`
 * from the first reading with a frame. Returns the first and last samples.
 */
export async function waitUntilPlaying(page: Page, cameraId: number, advanceSec = 1.5): Promise<{ first: VideoSample; last: VideoSample }> {
  const first = await waitFor(
    `camera ${cameraId} to show a frame`,
    () => sampleVideo(page, cameraId),
    (s) => s.state === 'live' && s.readyState >= 2 && s.currentTime > 0 && s.lumaMean !== null,
  );
  const last = await waitFor(
    `camera ${cameraId} currentTime to advance ${advanceSec}s past ${first.currentTime}`,
    () => sampleVideo(page, cameraId),
    (s) => s.state === 'live' && s.currentTime >= first.currentTime + advanceSec && s.lumaMean !== null,
  );
  return { first, last };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Closes whatever was started, in order, never throwing (afterAll must reach every close). */
export async function closeAll(...closers: Array<(() => Promise<unknown>) | undefined>): Promise<void> {
  for (const close of closers) {
    if (!close) continue;
    try {
      await close();
    } catch (err) {
      console.warn('e2e cleanup:', err);
    }
  }
}
