// 移动视频 in Chromium: an administrator makes a push device (API), the simulator's pusher publishes RTMP into the
// gateway's ingest, a county operator finds the camera in the tree shown online and it plays in a wall tile
// (currentTime advances, the fixture's 640x360 picture); its key revoked, the device is cut off and the tree shows
// it offline without a reload.
// No demo camera indexes: the pushed camera is its own (simulator range 3900+ of this feature, nothing on 127.x).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedPushKey } from '../../server/contracts/push';
import type { CameraSeed } from '../../server/demo/county';
import { startPusher, type Pusher } from '../../scripts/simulator';
import { DEMO, login } from '../helpers/app';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, openCameraFromSearch,
  screenshot, startServer, waitUntilPlaying, type E2EServer,
} from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });
const NAME = '东城小区执法记录仪-e2e3902';

describe.skipIf(!hasChromium)('mobile video (RTMP push) in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let county: BrowserContext;
  let page: Page;
  let pusher: Pusher | undefined;
  let issued: IssuedPushKey;

  beforeAll(async () => {
    server = await startServer({ rtmp: { enabled: true, port: 0, host: '127.0.0.1', publicHost: '' } });
    const { app } = server.t;
    const admin = await login(app, ...DEMO.admin);
    const compound = (await app.db.get<{ id: number }>("SELECT id FROM org_units WHERE name = '东城小区'"))!;
    const res = await app.inject({ method: 'POST', url: '/api/push-devices', headers: admin.headers, payload: { name: NAME, orgUnitId: compound.id } });
    issued = res.json<IssuedPushKey>();
    pusher = startPusher({ rtmpUrl: `rtmp://127.0.0.1:${app.rtmpIngest!.port}/live/${issued.streamKey}`, fixture: 'h264-aac' });
    browser = await launchBrowser();
    county = await newContext(browser, server.baseURL);
    page = await county.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => pusher?.stop() ?? Promise.resolve(), () => browser?.close(), () => server?.close());
  });

  it('shows the pushed camera online in the tree and plays it in a tile', async () => {
    await loginThroughForm(page, 'county', 'county123');
    const camera = { index: -1, id: issued.cameraId, seed: { name: NAME } as CameraSeed };
    await openCameraFromSearch(page, camera);
    const row = page.locator(`.cam-list .cam-row[data-camera-id="${issued.cameraId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('online');
    const { first, last } = await waitUntilPlaying(page, issued.cameraId);
    expect(first.videoWidth).toBe(640);
    expect(first.videoHeight).toBe(360);
    expect(last.currentTime).toBeGreaterThan(first.currentTime);
    await screenshot(page, 'mobile-push-playing');
  });

  it('a revoked key cuts the device off and the tree shows it offline without a reload', async () => {
    const admin = await login(server.t.app, ...DEMO.admin);
    const res = await server.t.app.inject({ method: 'POST', url: `/api/push-devices/${issued.cameraId}/revoke`, headers: admin.headers });
    expect(res.statusCode).toBe(204);
    expect(await pusher!.exited).not.toBe(0);
    const row = page.locator(`.cam-list .cam-row[data-camera-id="${issued.cameraId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('offline');
  });
});
