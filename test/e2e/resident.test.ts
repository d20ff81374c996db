// Resident share links in Debian's Chromium with a phone viewport (issue 8): a township officer makes a link for
// 东城小区 over the API, a phone (375×667, touch) opens it, taps a camera and watches it play; the officer revokes
// the link and the phone's page replaces everything with the full-screen "链接已失效" message, leaving no camera
// name or id on screen. Screenshots go to artifacts/e2e/.
//
// Demo camera indexes reserved for this file: 150–159 (东城小区, database ids 151–160). Used: 150, 151 and 152 (rewind).
// Like every browser test it clashes with a running `npm start` (its demo fleet owns the same addresses).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage } from '../../server/contracts/api';
import type { CreatedShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { en } from '../../web/src/i18n/en';
import { zh } from '../../web/src/i18n/zh';
import {
  closeAll, demoCamera, demoUnits, hasChromium, launchBrowser, newPhoneContext, newContext, NO_CHROMIUM_MESSAGE, screenshot,
  startDemoCameras, waitFor, type CameraSet, type E2EServer, startServer,
} from '../helpers/browser';

const CAMERAS = [150, 151].map(demoCamera);
const REWIND_CAMERA = demoCamera(152);
const LABEL = '东城小区业主群测试';
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

interface PhoneVideo {
  found: boolean;
  state: string | null;
  currentTime: number;
  readyState: number;
  videoWidth: number;
}

const sampleResidentVideo = (page: Page): Promise<PhoneVideo> =>
  page.evaluate(() => {
    const video = document.querySelector<HTMLVideoElement>('video[data-testid="resident-video"]');
    if (!video) return { found: false, state: null, currentTime: 0, readyState: 0, videoWidth: 0 };
    return {
      found: true,
      state: video.getAttribute('data-state'),
      currentTime: video.currentTime,
      readyState: video.readyState,
      videoWidth: video.videoWidth,
    };
  });

describe.skipIf(!hasChromium)('resident share link on a phone in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  let officer: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let csrf: string;
  let compoundId: number;

  beforeAll(async () => {
    // The cameras this file starts must be 东城小区's public-area cameras (the only ones a link may share).
    for (const camera of [...CAMERAS, REWIND_CAMERA]) {
      expect(camera.seed.publicArea, camera.seed.name).toBe(true);
      expect(camera.seed.name.startsWith(COMPOUND_NAME), camera.seed.name).toBe(true);
    }
    server = await startServer();
    cams = await startDemoCameras([...CAMERAS, REWIND_CAMERA].map((c) => c.index));
    browser = await launchBrowser();
    officer = await newContext(browser, server.baseURL);
    phone = await newPhoneContext(browser, server.baseURL);
    page = await phone.newPage();

    const login = await officer.request.post('/api/auth/login', { data: { username: 'dongcheng', password: 'town123' } });
    expect(login.status()).toBe(200);
    csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
    // Units are seeded in county order into an empty database: the compound's id is its index + 1.
    compoundId = demoUnits.findIndex((u) => u.name === COMPOUND_NAME) + 1;
    const listed = (await (await officer.request.get(`/api/cameras?orgUnitId=${compoundId}&limit=500`)).json()) as CameraPage;
    for (const camera of CAMERAS) {
      expect(listed.items.find((c) => c.id === camera.id)).toMatchObject({ name: camera.seed.name, publicArea: true });
    }
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  it('an unknown token shows the invalid page and nothing else', async () => {
    await page.goto(`/r/${'x'.repeat(43)}`);
    await page.locator('[data-testid="resident-invalid"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="resident-invalid"] h1').textContent()).toBe(zh['resident.invalidTitle']);
    expect(await page.locator('[data-testid="resident-camera"]').count()).toBe(0);
  });

  it('the officer makes a link, the phone opens it and a camera plays; revoking it leaves only the invalid message', async () => {
    const created = await officer.request.post('/api/share-links', {
      headers: { 'x-csrf-token': csrf },
      data: { orgUnitId: compoundId, label: LABEL, expiresInHours: 1, cameraIds: CAMERAS.map((c) => c.id) },
    });
    expect(created.status()).toBe(201);
    const { link, url } = (await created.json()) as CreatedShareLink;
    const path = new URL(url).pathname;
    expect(path).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);

    await page.goto(path);
    await poll(() => page.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
    expect(await page.locator('.resident-label').textContent()).toBe(LABEL);
    expect(await page.locator('.resident-unit').textContent()).toBe(COMPOUND_NAME);
    expect(await page.locator('.resident-expiry').textContent()).toContain('有效期至');
    const cards = page.locator('[data-testid="resident-camera"]');
    expect(await cards.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-camera-id'))))).toEqual(CAMERAS.map((c) => c.id));
    expect(await cards.locator('.resident-name').allTextContents()).toEqual(CAMERAS.map((c) => c.seed.name));
    // Mobile-first: nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // The English toggle, and back.
    await page.locator('.lang-toggle').tap();
    await poll(() => page.locator('.resident-expiry').textContent()).toContain(en['resident.expires'].split(' {')[0]);
    await page.locator('.lang-toggle').tap();
    await poll(() => page.locator('.resident-expiry').textContent()).toContain('有效期至');

    // Tap to play: one camera plays inline, muted, and its time advances.
    const [first, second] = CAMERAS;
    await page.locator(`[data-testid="resident-camera"][data-camera-id="${first.id}"] .resident-play`).tap();
    const start = await waitFor('the resident video to show a frame', () => sampleResidentVideo(page), (s) => s.state === 'live' && s.readyState >= 2 && s.currentTime > 0);
    expect(start.videoWidth).toBeGreaterThan(0);
    await waitFor(`currentTime to advance past ${start.currentTime}`, () => sampleResidentVideo(page), (s) => s.currentTime >= start.currentTime + 1.5);
    const attrs = await page.locator('video[data-testid="resident-video"]').evaluate((v: HTMLVideoElement) => ({
      camera: v.getAttribute('data-camera-id'), muted: v.muted, inline: v.playsInline, src: v.currentSrc,
    }));
    expect(attrs).toMatchObject({ camera: String(first.id), muted: true, inline: true });
    expect(await page.locator('video').count()).toBe(1);
    // Rewind is off unless the link allows it: no 回看 button.
    expect(await page.locator('[data-action="rewind"]').count()).toBe(0);

    // Another card takes over: still one video at a time.
    await page.locator(`[data-testid="resident-camera"][data-camera-id="${second.id}"] .resident-play`).tap();
    await poll(() => page.locator('video[data-testid="resident-video"]').getAttribute('data-camera-id')).toBe(String(second.id));
    expect(await page.locator('video').count()).toBe(1);
    const again = await waitFor('the second camera to play', () => sampleResidentVideo(page), (s) => s.state === 'live' && s.readyState >= 2 && s.currentTime > 0);
    await waitFor('the second camera to advance', () => sampleResidentVideo(page), (s) => s.currentTime >= again.currentTime + 1);
    await screenshot(page, 'resident');

    // The officer revokes the link: the playing phone finds out on its next playlist/segment request.
    const revoked = await officer.request.post(`/api/share-links/${link.id}/revoke`, { headers: { 'x-csrf-token': csrf } });
    expect(revoked.status()).toBeLessThan(300);
    const revokedAt = Date.now();
    const invalid = page.locator('[data-testid="resident-invalid"]');
    await invalid.waitFor({ state: 'visible', timeout: 60_000 });
    console.info(`resident e2e: invalid page ${Date.now() - revokedAt} ms after the revoke answered (informational)`);
    expect(await invalid.locator('h1').textContent()).toBe(zh['resident.invalidTitle']);
    expect(await page.locator('video').count()).toBe(0);
    expect(await page.locator('[data-testid="resident-camera"], [data-camera-id]').count()).toBe(0);
    const text = await page.locator('body').innerText();
    for (const camera of CAMERAS) {
      expect(text).not.toContain(camera.seed.name);
      expect(await page.content()).not.toContain(`data-camera-id="${camera.id}"`);
    }
    expect(text).not.toContain(LABEL);
    await screenshot(page, 'resident-invalid');

    // In English too.
    await page.locator('.lang-toggle').tap();
    await poll(() => invalid.locator('h1').textContent()).toBe(en['resident.invalidTitle']);
    await page.locator('.lang-toggle').tap();
    await poll(() => invalid.locator('h1').textContent()).toBe(zh['resident.invalidTitle']);

    // A reload of the revoked link says the same.
    await page.reload();
    await page.locator('[data-testid="resident-invalid"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-testid="resident-camera"]').count()).toBe(0);
  });

  it('a link allowing 5 minutes of rewind: 回看 plays the recent past with a seek bar, 回到直播 goes live again', async () => {
    const created = await officer.request.post('/api/share-links', {
      headers: { 'x-csrf-token': csrf },
      data: { orgUnitId: compoundId, label: `${LABEL}（回看）`, expiresInHours: 1, cameraIds: [REWIND_CAMERA.id], rewindMinutes: 5 },
    });
    expect(created.status()).toBe(201);
    const { url } = (await created.json()) as CreatedShareLink;
    await page.goto(new URL(url).pathname);
    await poll(() => page.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
    const card = page.locator(`[data-testid="resident-camera"][data-camera-id="${REWIND_CAMERA.id}"]`);
    await card.locator('.resident-play').tap();
    // Watched live for a few seconds: the relay's rewind ring now holds segments from after the link was made.
    const live = await waitFor('the live video to play', () => sampleResidentVideo(page), (s) => s.state === 'live' && s.readyState >= 2 && s.currentTime > 0);
    await waitFor('a few seconds of live', () => sampleResidentVideo(page), (s) => s.currentTime >= live.currentTime + 4);
    const video = page.locator('video[data-testid="resident-video"]');
    expect(await video.evaluate((v: HTMLVideoElement) => v.controls)).toBe(false);

    const rewind = card.locator('[data-action="rewind"]');
    expect(await rewind.textContent()).toBe(zh['resident.rewind'].replace('{minutes}', '5'));
    await rewind.tap();
    // The VOD playlist: a finite duration, the phone's own controls, and time advancing from its start.
    const past = await waitFor('the rewind to play', () => page.evaluate(() => {
      const v = document.querySelector<HTMLVideoElement>('video[data-testid="resident-video"]');
      return v ? { controls: v.controls, duration: v.duration, currentTime: v.currentTime, readyState: v.readyState } : null;
    }), (s) => s !== null && s.readyState >= 2 && Number.isFinite(s.duration) && s.duration >= 2 && s.currentTime > 0);
    expect(past!.controls).toBe(true);
    await waitFor('the rewind to advance', () => page.evaluate(() => document.querySelector<HTMLVideoElement>('video[data-testid="resident-video"]')?.currentTime ?? 0),
      (t) => t >= past!.currentTime + 1);
    await screenshot(page, 'resident-rewind');

    await card.locator('[data-action="live"]').tap();
    await poll(() => video.evaluate((v: HTMLVideoElement) => v.controls)).toBe(false);
    await waitFor('live again', () => sampleResidentVideo(page), (s) => s.state === 'live' && s.readyState >= 2 && s.currentTime > 0);
  });

  it('outside the daily window the page shows the server\'s message in the page language, and no camera', async () => {
    // A one-hour window that does not hold the current China time.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const window = hour < 12 ? { start: '20:00', end: '21:00' } : { start: '02:00', end: '03:00' };
    const created = await officer.request.post('/api/share-links', {
      headers: { 'x-csrf-token': csrf },
      data: { orgUnitId: compoundId, label: `${LABEL}（夜间）`, expiresInHours: 1, dailyWindow: window, cameraIds: [CAMERAS[0].id] },
    });
    expect(created.status()).toBe(201);
    const { url } = (await created.json()) as CreatedShareLink;
    await page.goto(new URL(url).pathname);
    await poll(() => page.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('closed');
    const closed = page.locator('[data-testid="resident-page"][data-state="closed"]');
    expect(await closed.locator('h1').textContent()).toBe(zh['resident.closedTitle']);
    expect(await closed.locator('p').textContent()).toBe(`此链接仅在每天 ${window.start}–${window.end} 开放`);
    expect(await page.locator('[data-testid="resident-camera"]').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(CAMERAS[0].seed.name);
    await page.locator('.lang-toggle').tap();
    await poll(() => closed.locator('p').textContent()).toBe(`This link is open daily ${window.start}–${window.end}`);
    await page.locator('.lang-toggle').tap();
  });

  it('an idle page (nothing playing) turns invalid by itself when the link expires', async () => {
    const created = await officer.request.post('/api/share-links', {
      headers: { 'x-csrf-token': csrf },
      data: { orgUnitId: compoundId, label: `${LABEL}（短时）`, expiresInHours: 0.01, cameraIds: [CAMERAS[0].id] },
    });
    expect(created.status()).toBe(201);
    const { url } = (await created.json()) as CreatedShareLink;
    await page.goto(new URL(url).pathname);
    await poll(() => page.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
    expect(await page.locator('[data-testid="resident-camera"]').count()).toBe(1);
    // 0.01 h = 36 s; the page asks the server again a second after expiresAt.
    await page.locator('[data-testid="resident-invalid"]').waitFor({ state: 'visible', timeout: 120_000 });
    expect(await page.locator('[data-testid="resident-camera"]').count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(CAMERAS[0].seed.name);
  });
});
