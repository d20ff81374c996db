// Every camera plays, with sound (issue 19, codecs) in Debian's Chromium: an H.265 camera plays on the wall and on a
// resident's phone page — natively where this Chromium decodes HEVC, else as the server's H.264 transcode — with
// moving, non-black frames and its path named on the tile; a G.711 (PCMA) camera's <video> decodes audio (carried
// as FLAC in CMAF), muted by default with a per-tile and per-phone unmute.
//
// Cameras of its own (simulator indexes 3990 and 3995 of the range 3950–3999, added to 东城小区 as public-area
// cameras, database ids after the demo county's): 3990 % 50 === 40 → plain, so the spec is given the h265 fixture;
// 3995 % 25 === 20 → h264-pcma.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreatedShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { planCamera, rtspUrl, startCamera, type SimCamera } from '../../scripts/simulator';
import { HEVC_PROBE } from '../../web/src/components/player/player-logic';
import { zh } from '../../web/src/i18n/zh';
import { TEST_SIMULATOR_NET } from '../helpers/app';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, newPhoneContext, NO_CHROMIUM_MESSAGE,
  openCameraFromSearch, screenshot, startServer, waitFor, waitUntilPlaying, type DemoCamera, type E2EServer,
} from '../helpers/browser';

const HEVC_INDEX = 3990;
const G711_INDEX = 3995;
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

/** Decoded audio of a <video> (Chromium's counter), and whether it is muted. */
const audioOf = (page: Page, selector: string) =>
  page.locator(selector).evaluate((v: HTMLVideoElement & { webkitAudioDecodedByteCount?: number }) => ({ bytes: v.webkitAudioDecodedByteCount ?? -1, muted: v.muted }));

describe.skipIf(!hasChromium)('H.265 and G.711 cameras in Chromium', { timeout: 240_000 }, () => {
  let server: E2EServer;
  const sims: SimCamera[] = [];
  let browser: Browser;
  let county: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let hevcSupported = false;
  const cams = new Map<number, DemoCamera>();

  beforeAll(async () => {
    server = await startServer();
    const app = server.t.app;
    const compound = (await app.db.get<{ id: number; code: string }>('SELECT id, code FROM org_units WHERE name = ?', [COMPOUND_NAME]))!;
    for (const index of [HEVC_INDEX, G711_INDEX]) {
      const planned = planCamera({ index, name: `${COMPOUND_NAME}编码测试${index}`, network: 'skynet', orgUnitCode: compound.code }, TEST_SIMULATOR_NET);
      const spec = index === HEVC_INDEX ? { ...planned, fixture: 'h265' as const, subFixture: 'h265' as const } : planned;
      sims.push(await startCamera(spec));
      const id = await app.repos.cameras.insert({
        network: 'skynet', externalId: `CODEC${index}`, name: spec.name, orgUnitId: compound.id, sourceKind: 'rtsp', publicArea: true,
        endpoint: rtspUrl(spec), streamUrl: rtspUrl(spec), credentials: { username: spec.username, password: spec.password },
      });
      cams.set(index, { index, id, seed: { name: spec.name } } as DemoCamera);
    }
    browser = await launchBrowser();
    county = await newContext(browser, server.baseURL);
    phone = await newPhoneContext(browser, server.baseURL);
    page = await county.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), async () => { await Promise.allSettled(sims.map((s) => s.close())); });
  });

  it('the wall plays the H.265 camera and names its path', async () => {
    await loginThroughForm(page, 'county', 'county123');
    hevcSupported = await page.evaluate((probe) => MediaSource.isTypeSupported(probe), HEVC_PROBE);
    const cam = cams.get(HEVC_INDEX)!;
    await openCameraFromSearch(page, cam);
    try {
      const { first, last } = await waitUntilPlaying(page, cam.id, 1.5);
      expect(first.lumaMean!).toBeGreaterThan(30);
      expect(first.lumaStd!).toBeGreaterThan(15);
      expect(last.currentTime).toBeGreaterThan(first.currentTime);
      const path = hevcSupported ? 'native' : 'transcoded';
      const tile = page.locator(`.wall-grid .tile:has(video[data-camera-id="${cam.id}"])`);
      await poll(() => tile.locator('video').getAttribute('data-path')).toBe(path);
      expect(await tile.locator('.player-path').textContent()).toBe(zh[`player.path.${path}`]);
      expect(await tile.locator('.player-path').getAttribute('title')).toBe(zh[`player.pathWhy.${path}`]);
      if (!hevcSupported) {
        // One transcode for this camera, running on the gateway.
        const relays = await (await page.request.get('/api/live/relays')).json() as { cameraId: number }[];
        expect(relays.some((r) => r.cameraId === cam.id)).toBe(true);
        expect(server.t.app.transcodes.list()).toHaveLength(1);
      }
    } finally {
      await screenshot(page, 'codecs-wall-hevc');
    }
  });

  it('the wall plays the G.711 camera with decoded audio, muted until the tile is unmuted', async () => {
    const cam = cams.get(G711_INDEX)!;
    await openCameraFromSearch(page, cam);
    await waitUntilPlaying(page, cam.id, 1);
    const selector = `.wall-grid video[data-camera-id="${cam.id}"]`;
    expect((await audioOf(page, selector)).muted).toBe(true);
    await poll(async () => (await audioOf(page, selector)).bytes).toBeGreaterThan(0);
    const tile = page.locator(`.wall-grid .tile:has(video[data-camera-id="${cam.id}"])`);
    await tile.hover();
    await tile.locator('[data-action="mute"]').click();
    await poll(async () => (await audioOf(page, selector)).muted).toBe(false);
    const before = (await audioOf(page, selector)).bytes;
    await poll(async () => (await audioOf(page, selector)).bytes).toBeGreaterThan(before);
  });

  it('a resident\'s phone plays both: the H.265 camera (its path named) and the G.711 camera with audio', async () => {
    const officer = await newContext(browser, server.baseURL);
    try {
      const login = await officer.request.post('/api/auth/login', { data: { username: 'dongcheng', password: 'town123' } });
      const csrf = ((await login.json()) as { csrfToken: string }).csrfToken;
      const compoundId = (await server.t.app.db.get<{ id: number }>('SELECT id FROM org_units WHERE name = ?', [COMPOUND_NAME]))!.id;
      const created = await officer.request.post('/api/share-links', {
        headers: { 'x-csrf-token': csrf },
        data: { orgUnitId: compoundId, label: '编码测试', expiresInHours: 1, cameraIds: [cams.get(HEVC_INDEX)!.id, cams.get(G711_INDEX)!.id] },
      });
      expect(created.status()).toBe(201);
      const { url } = (await created.json()) as CreatedShareLink;
      const p = await phone.newPage();
      await p.goto(new URL(url).pathname);
      await poll(() => p.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
      const video = p.locator('video[data-testid="resident-video"]');
      const sample = () => video.evaluate((v: HTMLVideoElement) => {
        const c = document.createElement('canvas');
        c.width = 32; c.height = 18;
        const ctx = c.getContext('2d')!;
        let luma = 0;
        if (v.readyState >= 2) {
          ctx.drawImage(v, 0, 0, 32, 18);
          const d = ctx.getImageData(0, 0, 32, 18).data;
          for (let i = 0; i < d.length; i += 4) luma += (d[i]! + d[i + 1]! + d[i + 2]!) / 3;
          luma /= 32 * 18;
        }
        return { state: v.getAttribute('data-state'), t: v.currentTime, luma, path: v.getAttribute('data-path') };
      });

      await p.locator(`[data-testid="resident-camera"][data-camera-id="${cams.get(HEVC_INDEX)!.id}"] .resident-play`).tap();
      const first = await waitFor('the H.265 camera to play on the phone', sample, (s) => s.state === 'live' && s.t > 0 && s.luma > 30);
      await waitFor('its time to advance', sample, (s) => s.t >= first.t + 1);
      await poll(async () => (await sample()).path).toBe(hevcSupported ? 'native' : 'transcoded');
      await screenshot(p, 'codecs-resident-hevc');

      await p.locator(`[data-testid="resident-camera"][data-camera-id="${cams.get(G711_INDEX)!.id}"] .resident-play`).tap();
      await poll(() => video.getAttribute('data-camera-id')).toBe(String(cams.get(G711_INDEX)!.id));
      await waitFor('the G.711 camera to play on the phone', sample, (s) => s.state === 'live' && s.t > 0);
      const audio = () => audioOf(p, 'video[data-testid="resident-video"]');
      expect((await audio()).muted).toBe(true);
      await poll(async () => (await audio()).bytes).toBeGreaterThan(0);
      await p.locator('[data-action="sound"]').tap();
      await poll(async () => (await audio()).muted).toBe(false);
    } finally {
      await officer.close();
    }
  });
});
