// Three-level dispatch in Chromium (issue 7), with one browser context per officer: the county tags a hidden danger
// on a live tile (frame evidence) and dispatches it to 东城街道; the township's console receives it live (toast and
// inbox badge), accepts and re-dispatches it to its village 团结社区; the village officer accepts and resolves it with
// feedback and a photo; the county closes it; the statistics count it. Screenshots go to artifacts/e2e/.
//
// Demo camera indexes reserved for this file: 30–59 (database ids 31–60, simulated at 127.77.1.31–127.77.1.60, see TEST_SIMULATOR_NET).
// Used: 36 (东城街道团结社区村委会门口, H.264), the live tile the danger is tagged on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeAll, demoCamera, demoUnit, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE,
  openCameraFromSearch, screenshot, startDemoCameras, startServer, waitUntilPlaying, type CameraSet, type E2EServer,
} from '../helpers/browser';

const CAMERA = demoCamera(36);
const DONGCHENG = demoUnit('339901002');
const TUANJIE = demoUnit('339901002001');
const NOTE = '楼道堆放杂物，堵塞消防通道（e2e）';
const FEEDBACK = '已清理楼道杂物，消防通道畅通（e2e）';
const PHOTO = join(import.meta.dirname, '../dispatch/fixtures/frame.jpg');
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** expect.poll with a limit fit for a loaded 2-core machine (vitest's default is 1 s). No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

interface Totals {
  found: number;
  dispatched: number;
  closed: number;
  closureRate: number | null;
}

/** The statistics view's figures, as the county operator reads them on screen. */
interface Shown {
  found: number;
  dispatched: number;
  closed: number;
  closureRate: string;
  fireFound: number;
}

describe.skipIf(!hasChromium)('three-level dispatch in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let county: Page, town: Page, village: Page;
  let before: Totals;
  let shownBefore: Shown;
  let dangerId: number;

  beforeAll(async () => {
    server = await startServer({ dispatch: { overdueScanSec: 0 } });
    cams = await startDemoCameras([CAMERA.index]);
    browser = await launchBrowser();
    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await newContext(browser, server.baseURL);
      contexts.push(context);
      pages.push(await context.newPage());
    }
    [county, town, village] = pages;
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  const totals = async (page: Page): Promise<Totals> => {
    const res = await page.request.get('/api/stats');
    expect(res.status()).toBe(200);
    const { total } = (await res.json()) as { total: Totals };
    return total;
  };
  const showStats = async (page: Page): Promise<Shown> => {
    await page.locator('.nav-btn[data-view="stats"]').click();
    const view = page.locator('[data-testid="stats-view"]');
    await view.locator('[data-testid="stats-totals"]').waitFor();
    const text = async (selector: string) => (await view.locator(selector).first().textContent())?.trim() ?? '';
    return {
      found: Number(await text('[data-stat="found"] b')),
      dispatched: Number(await text('[data-stat="dispatched"] b')),
      closed: Number(await text('[data-stat="closed"] b')),
      closureRate: await text('[data-stat="closureRate"] b'),
      fireFound: Number(await text('table[data-table="category"] tr[data-key="fire"] .bar-value')),
    };
  };
  const showWall = async (page: Page) => {
    await page.locator('.nav-btn[data-view="wall"]').click();
    await page.locator('.wall-grid').waitFor();
  };
  const badge = (page: Page) => page.locator('[data-testid="inbox-badge"]').first();
  const toastFor = (page: Page, id: number) => page.locator(`[data-testid="toast"][data-danger-id="${id}"]`);
  const drawer = (page: Page) => page.locator(`[data-testid="danger-drawer"][data-danger-id="${dangerId}"]`);
  const actions = (page: Page) => drawer(page).locator('.task-actions');
  const inboxCard = (page: Page) => page.locator(`[data-list="inbox"] .task-card[data-danger-id="${dangerId}"]`);

  it('the county, the township and the village officer each log in through the form', async () => {
    await loginThroughForm(county, 'county', 'county123');
    await loginThroughForm(town, 'dongcheng', 'town123');
    await loginThroughForm(village, 'village', 'village123');
    await poll(() => town.locator('[data-testid="user-org"]').textContent()).toBe(DONGCHENG.name);
    await poll(() => village.locator('[data-testid="user-org"]').textContent()).toBe(TUANJIE.name);
    // Nothing waiting yet: no badge anywhere.
    for (const page of [county, town, village]) expect(await page.locator('[data-testid="inbox-badge"]').count()).toBe(0);
    before = await totals(county);
    shownBefore = await showStats(county);
    // The screen shows the same numbers as the API (one source of truth).
    expect(shownBefore).toMatchObject({ found: before.found, dispatched: before.dispatched, closed: before.closed });
    await showWall(county);
  });

  it('the county tags a hidden danger on a live tile, with the frame as evidence, and dispatches it to 东城街道', async () => {
    await openCameraFromSearch(county, CAMERA);
    await waitUntilPlaying(county, CAMERA.id, 0.5);
    const tile = county.locator(`.wall-grid .tile:has(video[data-camera-id="${CAMERA.id}"])`);
    await tile.locator('[data-action="tag"]').click();
    const dialog = county.locator('[data-testid="tag-dialog"]');
    await dialog.waitFor();
    // The evidence is a JPEG frame grabbed from the playing video.
    await poll(() => dialog.locator('[data-testid="tag-evidence"]').getAttribute('src')).toMatch(/^data:image\/jpeg;base64,/);
    expect(await dialog.locator('[data-field="camera"]').getAttribute('data-camera-id')).toBe(String(CAMERA.id));
    await dialog.locator('select[data-field="category"]').selectOption('fire');
    await dialog.locator('[data-field="severity"] input[value="major"]').check();
    await dialog.locator('textarea[data-field="note"]').fill(NOTE);
    expect(await dialog.locator('input[data-field="dispatch-now"]').isChecked()).toBe(true);
    // The unit that contains the camera (属地) is proposed: 东城街道.
    const toUnit = dialog.locator('select[data-field="to-unit"]');
    await poll(async () => toUnit.locator('option:checked').textContent()).toBe(DONGCHENG.name);
    await dialog.locator('[data-action="submit-danger"]').click();
    await dialog.waitFor({ state: 'detached' });

    const list = await county.request.get('/api/dangers');
    const dangers = (await list.json()) as { items: Array<{ id: number; note: string | null; status: string }> };
    const danger = dangers.items.find((d) => d.note === NOTE);
    expect(danger?.status).toBe('dispatched');
    dangerId = danger!.id;
    await screenshot(county, 'dispatch-county-tagged');
  });

  it('东城街道 receives it live (toast and badge), accepts it and re-dispatches it to 团结社区', async () => {
    // No reload: the toast and the badge arrive over socket.io.
    await toastFor(town, dangerId).waitFor({ timeout: 30_000 });
    await poll(() => badge(town).textContent()).toBe('1');
    await town.locator('[data-tab="inbox"]').click();
    await inboxCard(town).waitFor();
    expect(await inboxCard(town).getAttribute('data-status')).toBe('dispatched');
    await inboxCard(town).click();
    await drawer(town).waitFor();
    await actions(town).locator('[data-action="accept"]').click();
    await poll(() => inboxCard(town).getAttribute('data-status')).toBe('accepted');

    await actions(town).locator('[data-action="redispatch"]').click();
    const form = actions(town).locator('[data-form="redispatch"]');
    await form.waitFor();
    await form.locator('select[data-field="to-unit"]').selectOption({ label: TUANJIE.name });
    await form.locator('textarea[data-field="dispatch-note"]').fill('请团结社区网格员现场核实处置');
    await form.locator('[data-action="confirm"]').click();
    await poll(() => inboxCard(town).getAttribute('data-status')).toBe('delegated');
    await screenshot(town, 'dispatch-township-redispatched');
  });

  it('团结社区 receives it live, accepts, and resolves it with feedback and a photo', async () => {
    await toastFor(village, dangerId).waitFor({ timeout: 30_000 });
    await poll(() => badge(village).textContent()).toBe('1');
    await village.locator('[data-tab="inbox"]').click();
    await inboxCard(village).click();
    await drawer(village).waitFor();
    await actions(village).locator('[data-action="accept"]').click();
    await poll(() => inboxCard(village).getAttribute('data-status')).toBe('accepted');
    await actions(village).locator('[data-action="resolve"]').click();
    const form = actions(village).locator('[data-form="resolve"]');
    await form.locator('textarea[data-field="feedback"]').fill(FEEDBACK);
    await form.locator('input[data-field="photo"]').setInputFiles({ name: 'scene.jpg', mimeType: 'image/jpeg', buffer: readFileSync(PHOTO) });
    await form.locator('img.photo-preview').waitFor();
    await form.locator('[data-action="confirm"]').click();
    await poll(() => inboxCard(village).getAttribute('data-status')).toBe('resolved');
    // The township sees its task resolved too (the village's answer goes up), without a reload.
    await poll(() => inboxCard(town).getAttribute('data-status')).toBe('resolved');
    await screenshot(village, 'dispatch-village-resolved');
  });

  it('the county sees the feedback, closes the task, and every level sees it closed', async () => {
    await county.locator('[data-tab="outbox"]').click();
    const card = county.locator(`[data-list="outbox"] .task-card[data-danger-id="${dangerId}"]`);
    await poll(() => card.getAttribute('data-status')).toBe('resolved');
    await card.click();
    await drawer(county).waitFor();
    await poll(() => drawer(county).textContent()).toContain(FEEDBACK);
    await actions(county).locator('[data-action="close"]').click();
    await poll(() => drawer(county).getAttribute('data-status')).toBe('closed');
    await poll(() => card.getAttribute('data-status')).toBe('closed');
    await poll(() => inboxCard(town).getAttribute('data-status')).toBe('closed');
    await poll(() => inboxCard(village).getAttribute('data-status')).toBe('closed');
    // The history shows every step in order.
    const steps = await drawer(county).locator('[data-testid="history"] li').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    for (const action of ['created', 'dispatch', 'accept', 'redispatch', 'resolve', 'close']) expect(steps).toContain(action);
    await screenshot(county, 'dispatch-county-closed');
  });

  it('the statistics count the danger as found, dispatched and closed, on screen and in the API', async () => {
    const after = await totals(county);
    expect(after.found).toBe(before.found + 1);
    expect(after.dispatched).toBe(before.dispatched + 1);
    expect(after.closed).toBe(before.closed + 1);
    expect(after.closureRate).toBe(1);
    await poll(() => showStats(county), 30_000)
      .toEqual({
        found: shownBefore.found + 1,
        dispatched: shownBefore.dispatched + 1,
        closed: shownBefore.closed + 1,
        closureRate: '100.00%',
        fireFound: shownBefore.fireFound + 1,
      });
    await screenshot(county, 'dispatch-county-stats');
  });
});
