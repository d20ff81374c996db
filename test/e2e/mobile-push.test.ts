// 移动视频 in Chromium: an administrator makes a push device in 设备管理 → 移动视频 (name, unit from the tree; the
// publish URL shown once), the simulator's pusher publishes RTMP to that URL, the admin's list says 推流中, a county
// operator finds the camera in the tree shown online and it plays in a wall tile (currentTime advances, the
// fixture's 640x360 picture); the admin revokes its key in the list, the device is cut off and the operator's tree
// shows it offline without a reload.
// No demo camera indexes: the pushed camera is its own (simulator range 3900+ of this feature, nothing on 127.x).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IssuedPushKey } from '../../server/contracts/push';
import type { CameraSeed } from '../../server/demo/county';
import { startPusher, type Pusher } from '../../scripts/simulator';
import { zh } from '../../web/src/i18n/zh';
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
  let adminPage: Page;
  let pusher: Pusher | undefined;
  let issued: IssuedPushKey;

  beforeAll(async () => {
    server = await startServer({ rtmp: { enabled: true, port: 0, host: '127.0.0.1', publicHost: '' } });
    browser = await launchBrowser();
    county = await newContext(browser, server.baseURL);
    page = await county.newPage();
    adminPage = await (await newContext(browser, server.baseURL)).newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => pusher?.stop() ?? Promise.resolve(), () => browser?.close(), () => server?.close());
  });

  it('an administrator adds the device in 移动视频 and is shown its publish URL once', async () => {
    await loginThroughForm(adminPage, 'admin', 'admin123');
    await adminPage.locator('button[data-view="devices"]').click();
    const tab = adminPage.locator('.devices-tab[data-tab="mobile"]');
    expect(await tab.textContent()).toBe(zh['devices.tab.mobile']);
    await tab.click();
    await adminPage.locator('[data-testid="push-list"][data-state="ready"]').waitFor();

    // Our own check first: no name, no unit, no request.
    await adminPage.locator('[data-action="create-push-device"]').click();
    expect(await adminPage.locator('[data-error-for="name"]').textContent()).toBe(zh['push.error.name']);
    expect(await adminPage.locator('[data-error-for="orgUnitId"]').textContent()).toBe(zh['push.error.unit']);

    // The compound's chain from the county root: open each level's twisty, then pick the compound.
    const chain: number[] = [];
    const { app } = server.t;
    let unit = await app.db.get<{ id: number; parentId: number | null }>("SELECT id, parent_id AS parentId FROM org_units WHERE name = '东城小区'");
    while (unit) {
      chain.unshift(unit.id);
      unit = unit.parentId === null ? undefined : await app.db.get<{ id: number; parentId: number | null }>('SELECT id, parent_id AS parentId FROM org_units WHERE id = ?', [unit.parentId]);
    }
    const tree = adminPage.locator('[data-testid="push-form"] [data-testid="share-unit-tree"]');
    for (const id of chain.slice(1, -1)) await tree.locator(`[data-unit-id="${id}"] .twisty`).click();
    await tree.locator(`[data-unit-id="${chain.at(-1)}"]`).click();
    await poll(() => adminPage.locator('[data-testid="push-form"] [data-testid="share-unit"]').getAttribute('data-unit-id')).toBe(String(chain.at(-1)));
    await adminPage.locator('[data-testid="push-form"] [data-field="name"]').fill(NAME);
    await adminPage.locator('[data-action="create-push-device"]').click();

    const url = await adminPage.locator('[data-testid="push-rtmp-url"]').inputValue();
    expect(url).toMatch(new RegExp(`^rtmp://127\\.0\\.0\\.1:${app.rtmpIngest!.port}/live/[A-Za-z0-9_-]{20,}$`));
    const row = (await app.db.get<{ id: number }>('SELECT id FROM cameras WHERE name = ?', [NAME]))!;
    issued = { cameraId: row.id, streamKey: url.split('/').at(-1)!, rtmpUrl: url };
    await screenshot(adminPage, 'mobile-push-key-once');
    await adminPage.locator('[data-action="push-key-done"]').click();
    // The key is nowhere on the page once the dialog is closed: the list shows no key.
    expect(await adminPage.content()).not.toContain(issued.streamKey);

    pusher = startPusher({ rtmpUrl: url, fixture: 'h264-aac' });
    const listed = adminPage.locator(`[data-testid="push-list"] tr[data-camera-id="${issued.cameraId}"]`);
    await poll(() => listed.getAttribute('data-status')).toBe('publishing');
    expect(await listed.locator('.push-status').textContent()).toBe(zh['push.status.publishing']);
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

  it('a key revoked in the list cuts the device off and the tree shows it offline without a reload', async () => {
    const listed = adminPage.locator(`[data-testid="push-list"] tr[data-camera-id="${issued.cameraId}"]`);
    await listed.locator('[data-action="revoke"]').click();
    await listed.locator('[data-action="confirm-revoke"]').click();
    await poll(() => listed.getAttribute('data-status')).toBe('revoked');
    expect(await pusher!.exited).not.toBe(0);
    const row = page.locator(`.cam-list .cam-row[data-camera-id="${issued.cameraId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('offline');
  });
});
