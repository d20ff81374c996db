// Thumbnails on the resident page (issue 8) in Debian's Chromium with a phone viewport: every card of a share link
// shows its camera's still picture — from a running relay's key frame, or from the camera's own ONVIF snapshot
// when nobody watches it — loaded lazily, and a camera that does not answer shows the neutral placeholder.
// No relay is started for a thumbnail.
//
// Simulator indexes reserved for this file: 3530–3539 (cameras added to 东城小区 by the test). Used: 3531–3533.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onvifSnapshotUrl, onvifXAddr, planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import type { CreatedShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { login } from '../helpers/app';
import { closeAll, hasChromium, launchBrowser, newPhoneContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';

// Both running cameras serve the 1280x720 H.264 fixture (index % 25 picks it): a 640-wide picture is the relay's.
const RELAYED = 3531;
const ONVIF_ONLY = 3533;
const DOWN = 3532; // in the link, never started: its snapshot fails
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

interface Thumb { state: string | null; naturalWidth: number; loading: string | null; src: string }

describe.skipIf(!hasChromium)('resident page thumbnails on a phone in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let phone: BrowserContext;
  let page: Page;
  const cams: SimCamera[] = [];
  const ids = new Map<number, number>();

  beforeAll(async () => {
    server = await startServer();
    const { app } = server.t;
    const compound = (await app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    for (const index of [RELAYED, ONVIF_ONLY, DOWN]) {
      const spec = planCamera({ index, name: `${COMPOUND_NAME}缩略图${index}`, network: 'skynet', orgUnitCode: compound.code });
      if (index !== DOWN) cams.push(await startCamera(spec));
      ids.set(index, await app.repos.cameras.insert({
        network: 'skynet', externalId: `THUMB${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: 'onvif', publicArea: true,
        endpoint: onvifXAddr(spec), streamUrl: rtspUrl(spec), snapshotUrl: onvifSnapshotUrl(spec),
        credentials: { username: spec.username, password: spec.password },
      }));
    }
    browser = await launchBrowser();
    phone = await newPhoneContext(browser, server.baseURL);
    page = await phone.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), ...cams.map((c) => () => c.close()));
  });

  const thumbOf = (cameraId: number): Promise<Thumb | null> =>
    page.evaluate((id) => {
      const img = document.querySelector<HTMLImageElement>(`[data-testid="resident-camera"][data-camera-id="${id}"] img[data-testid="resident-thumb"]`);
      return img ? { state: img.getAttribute('data-state'), naturalWidth: img.naturalWidth, loading: img.getAttribute('loading'), src: img.getAttribute('src') ?? '' } : null;
    }, cameraId);

  it('every card shows its camera\'s picture; a camera that does not answer shows the placeholder', async () => {
    const { app } = server.t;
    const officer = await login(app, 'dongcheng', 'town123');
    // Someone is watching one camera: its thumbnail comes from the relay's key frame.
    const relayedId = ids.get(RELAYED)!;
    expect((await app.inject({ url: `/live/${relayedId}/index.m3u8`, headers: { cookie: officer.cookie } })).statusCode).toBe(200);
    const made = await app.inject({
      method: 'POST', url: '/api/share-links', headers: officer.headers,
      payload: { orgUnitId: (await app.repos.cameras.byId(relayedId))!.orgUnitId, label: '缩略图测试', expiresInHours: 1, cameraIds: [RELAYED, ONVIF_ONLY, DOWN].map((i) => ids.get(i)!) },
    });
    expect(made.statusCode).toBe(201);
    const { url } = made.json<CreatedShareLink>();

    // The page's clock is ours, so the 30 s refresh can be brought forward (server time is untouched).
    await page.clock.install();
    await page.goto(new URL(url).pathname);
    await poll(() => page.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
    for (const index of [RELAYED, ONVIF_ONLY]) {
      const id = ids.get(index)!;
      await page.locator(`[data-testid="resident-camera"][data-camera-id="${id}"]`).scrollIntoViewIfNeeded();
      await poll(async () => (await thumbOf(id))?.state).toBe('loaded');
      const thumb = (await thumbOf(id))!;
      expect(thumb.naturalWidth).toBeGreaterThan(0);
      expect(thumb.naturalWidth).toBeLessThanOrEqual(1280);
      expect(thumb.loading).toBe('lazy');
      expect(thumb.src).toMatch(new RegExp(`^/api/share/cameras/${id}/snapshot\\.jpg\\?v=`));
    }
    // The relayed camera's picture was made from the relay (scaled to 640 px); the other one is the camera's own JPEG.
    expect((await thumbOf(relayedId))!.naturalWidth).toBe(640);
    expect((await thumbOf(ids.get(ONVIF_ONLY)!))!.naturalWidth).toBe(1280);

    const downId = ids.get(DOWN)!;
    await page.locator(`[data-testid="resident-camera"][data-camera-id="${downId}"]`).scrollIntoViewIfNeeded();
    await poll(async () => (await thumbOf(downId))?.state).toBe('failed');
    // The placeholder is the card's own background: the broken image is not shown, the play button still is.
    expect(await page.locator(`[data-testid="resident-camera"][data-camera-id="${downId}"] img[data-testid="resident-thumb"]`).isVisible()).toBe(false);
    expect(await page.locator(`[data-testid="resident-camera"][data-camera-id="${downId}"] .resident-play`).isVisible()).toBe(true);

    // Thumbnails started no relay: only the one someone watches runs.
    expect(app.relays.list().map((r) => r.cameraId)).toEqual([relayedId]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'resident-thumbnails');
  });

  it('thumbnails on screen refresh every 30 s; the placeholder gives way once the camera answers again', async () => {
    const { app } = server.t;
    const downId = ids.get(DOWN)!;
    const card = page.locator(`[data-testid="resident-camera"][data-camera-id="${downId}"]`);
    await card.scrollIntoViewIfNeeded();
    expect((await thumbOf(downId))!.state).toBe('failed');
    // The camera comes up; the server's short memory of its failure is cleared rather than waited out.
    cams.push(await startCamera(planCamera({ index: DOWN, name: `${COMPOUND_NAME}缩略图${DOWN}`, network: 'skynet', orgUnitCode: 'x' })));
    app.snapshots.forget(downId);
    await page.clock.fastForward(30_000);
    await poll(async () => (await thumbOf(downId))?.state).toBe('loaded');
    const thumb = (await thumbOf(downId))!;
    expect(thumb.naturalWidth).toBeGreaterThan(0);
    expect(thumb.src).toMatch(/&t=\d+$/);
  });
});
