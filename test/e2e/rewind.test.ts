// Live rewind (回看, issue #17) in Chromium: a county operator's tile plays live; after half a minute of the relay's
// rewind ring exists, the tile's rewind control plays the stored video (VOD playlist by byte ranges) from about
// 30 s back — the moment shown, read from EXT-X-PROGRAM-DATE-TIME, is 20–60 s in the past and the video advances —
// a −10 s jump moves it back, and "back to live" returns to the live playlist in one click.
//
// Demo camera index reserved for this file: 81 (database id 82, simulated at 127.77.x.y, TEST_SIMULATOR_NET).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll, demoCamera, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, openCameraFromSearch,
  sampleVideo, screenshot, startDemoCameras, startServer, waitFor, waitUntilPlaying, type CameraSet, type E2EServer,
} from '../helpers/browser';

const CAMERA = demoCamera(81);
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!hasChromium)('live rewind on a wall tile', { timeout: 240_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    cams = await startDemoCameras([CAMERA.index]);
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => cams?.close(), () => server?.close());
  });

  const tile = () => page.locator(`.wall-grid .tile:has(video[data-camera-id="${CAMERA.id}"])`);
  const shownAt = async () => Number(await tile().locator('[data-testid="rewind-bar"]').getAttribute('data-at'));

  it('rewinds a playing tile about 30 s, jumps back 10 s, and returns to live in one click', async () => {
    await loginThroughForm(page, 'county', 'county123');
    await openCameraFromSearch(page, CAMERA);
    await waitUntilPlaying(page, CAMERA.id);
    // The ring fills as the relay runs: wait until it holds over 44 s (the timeline the bar shows says so) — the
    // rewind opens 30 s back and then jumps 10 s further, which must still be inside the ring (with 32 s the jump
    // could only reach the ring's start, a few seconds back, and passed or failed with the machine's load).
    await waitFor('32 s of rewind ring', () => page.evaluate(async (id) => {
      const now = Date.now();
      const res = await fetch(`/api/recordings/${id}/timeline?from=${new Date(now - 300_000).toISOString()}&to=${new Date(now).toISOString()}`);
      const tl = await res.json() as { spans: { start: string; end: string }[] };
      return tl.spans.reduce((s, x) => s + Date.parse(x.end) - Date.parse(x.start), 0);
    }, CAMERA.id), (ms) => ms > 44_000, 90_000, 1_000);

    await tile().locator('[data-action="rewind"]').click();
    await tile().locator('[data-testid="rewind-bar"]').waitFor({ state: 'visible' });
    // Playing stored video: the moment shown is 20–60 s behind now, and the video advances.
    const first = await waitFor('rewind playback', async () => ({ at: await shownAt(), s: await sampleVideo(page, CAMERA.id) }),
      (v) => v.at > 0 && v.s.state === 'live' && v.s.currentTime > 0, 60_000);
    const behind = Date.now() - first.at;
    expect(behind).toBeGreaterThan(20_000);
    expect(behind).toBeLessThan(60_000);
    const later = await waitFor('rewind advancing', () => sampleVideo(page, CAMERA.id), (s) => s.currentTime > first.s.currentTime + 1, 30_000);
    expect(later.lumaStd ?? 0).toBeGreaterThan(5);
    // The label says 回看中 while the stored video plays (a moment of buffering under load shows 缓冲 instead).
    await waitFor('回看中 label', () => tile().locator('.tile-state').textContent(), (text) => text === '回看中', 15_000);
    await screenshot(page, 'rewind-playing');

    // −10 s: the moment shown moves back by about ten seconds.
    const before = await shownAt();
    await tile().locator('[data-jump="-10"]').click();
    const jumped = await waitFor('−10 s jump', shownAt, (at) => at < before - 7_000 && at > before - 13_000, 15_000);
    expect(before - jumped).toBeGreaterThan(7_000);

    // A clip around the moment shown downloads as MP4 (remuxed on the server, audited).
    const href = await tile().locator('[data-action="clip"]').getAttribute('href');
    const clip = await page.evaluate(async (url) => {
      const res = await fetch(url!);
      return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
    }, href);
    expect(clip).toMatchObject({ status: 200, type: 'video/mp4' });
    expect(clip.bytes).toBeGreaterThan(100_000);

    // Back to live in one click: the bar goes, the live playlist plays again.
    const audit = await server.t.app.db.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'playback.open' AND target_id = ?", [String(CAMERA.id)]);
    expect(audit!.n).toBeGreaterThanOrEqual(1);
    await tile().locator('[data-action="back-to-live"]').click();
    await tile().locator('[data-testid="rewind-bar"]').waitFor({ state: 'detached' });
    const { first: a, last: b } = await waitUntilPlaying(page, CAMERA.id);
    expect(b.currentTime).toBeGreaterThan(a.currentTime);
    expect(await tile().locator('.tile-state').textContent()).not.toBe('回看中');
    const src = await page.evaluate((id) => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.includes(`/live/${id}/`)).length, CAMERA.id);
    expect(src).toBeGreaterThan(0);
  });

  it('plays today from the day picker (回放), pauses and steps one frame each way', async () => {
    await tile().locator('[data-action="rewind"]').click();
    const today = await page.evaluate(() => new Date(Date.now() - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 10));
    const picker = tile().locator('[data-testid="rewind-day"]');
    await waitFor('today offered', () => picker.locator(`option[value="${today}"]`).count(), (n) => n === 1, 15_000);
    await picker.selectOption(today);
    // The day starts at midnight, before anything was recorded: the player jumps to the first recorded moment.
    const shown = await waitFor('day playback', async () => ({ day: await tile().locator('[data-testid="rewind-bar"]').getAttribute('data-day'), at: await shownAt(), s: await sampleVideo(page, CAMERA.id) }),
      (v) => v.day === today && v.at > 0 && v.s.state === 'live' && v.s.currentTime > 0, 60_000);
    expect(Date.now() - shown.at).toBeLessThan(10 * 60_000);
    await waitFor('回放中 label', () => tile().locator('.tile-state').textContent(), (text) => text === '回放中', 15_000);
    expect(await tile().locator('[data-testid="rewind-moment"]').textContent()).toMatch(/^\d\d:\d\d:\d\d$/);

    const video = () => page.locator(`video[data-camera-id="${CAMERA.id}"]`);
    await tile().locator('[data-action="pause"]').click();
    const paused = await waitFor('paused', () => video().evaluate((v: HTMLVideoElement) => ({ paused: v.paused, t: v.currentTime, seeking: v.seeking })), (v) => v.paused && !v.seeking, 10_000);
    await tile().locator('[data-step="1"]').click();
    const stepped = await waitFor('one frame on', () => video().evaluate((v: HTMLVideoElement) => v.currentTime), (t) => t !== paused.t, 10_000);
    expect(stepped - paused.t).toBeCloseTo(0.04, 2);
    await tile().locator('[data-step="-1"]').click();
    const back = await waitFor('one frame back', () => video().evaluate((v: HTMLVideoElement) => v.currentTime), (t) => t !== stepped, 10_000);
    expect(back).toBeCloseTo(paused.t, 2);
    expect(await video().evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
    await screenshot(page, 'playback-day-paused');

    await tile().locator('[data-action="back-to-live"]').click();
    await tile().locator('[data-testid="rewind-bar"]').waitFor({ state: 'detached' });
  });
});
