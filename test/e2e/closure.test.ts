// Verified closure and residents' reports in Chromium (issue 21). A danger tagged by the county (over the API, with
// the fixture frame as evidence) goes to 东城街道; the township officer accepts and reports it handled in the
// console, and the server grabs a fresh frame of the same camera (the simulator's ONVIF snapshot); the county opens
// the danger and sees the tag frame and the 反馈 frame side by side, and approves (办结). Then a resident opens a
// 东城小区 link on a phone, reports a problem on a camera (category, words; the frame is the server's), sees it in
// "my reports" as received, and the 团结社区 officer, whose console is open on the dangers list, sees it arrive
// without a reload. Screenshots go to artifacts/e2e/.
//
// Demo camera indexes reserved for this file: 96 (东城街道团结社区公交站, the danger's camera) and 124 (东城小区垃圾分类点,
// the resident's camera).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Danger, DangerPage, TaskSummary } from '../../server/contracts/dispatch';
import type { CreatedShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { zh } from '../../web/src/i18n/zh';
import {
  closeAll, demoCamera, demoUnit, demoUnits, hasChromium, launchBrowser, loginThroughForm, newContext, newPhoneContext, NO_CHROMIUM_MESSAGE,
  screenshot, startDemoCameras, startServer, type CameraSet, type E2EServer,
} from '../helpers/browser';

const CAMERA = demoCamera(96);
const RESIDENT_CAMERA = demoCamera(124);
const DONGCHENG = demoUnit('339901002');
/** Units are seeded in county order into an empty database: a unit's id is its index + 1. */
const DONGCHENG_ID = demoUnits.indexOf(DONGCHENG) + 1;
const FRAME = readFileSync(join(import.meta.dirname, '../dispatch/fixtures/frame.jpg'));
const FEEDBACK = '已清理占道杂物（e2e 复核）';
const RESIDENT_NOTE = '垃圾分类点满溢（e2e 随手拍）';
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('verified closure and residents’ reports in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let county: Page, town: Page, village: Page, phone: Page;
  let api: { county: APIRequestContext; town: APIRequestContext; csrf: { county: string; town: string } };
  let dangerId: number;
  let taskId: number;

  beforeAll(async () => {
    expect(RESIDENT_CAMERA.seed.publicArea).toBe(true);
    server = await startServer({ dispatch: { overdueScanSec: 0 } });
    cams = await startDemoCameras([CAMERA.index, RESIDENT_CAMERA.index]);
    browser = await launchBrowser();
    const pages: Page[] = [];
    for (let i = 0; i < 3; i++) {
      const context = await newContext(browser, server.baseURL);
      contexts.push(context);
      pages.push(await context.newPage());
    }
    [county, town, village] = pages;
    const phoneContext = await newPhoneContext(browser, server.baseURL);
    contexts.push(phoneContext);
    phone = await phoneContext.newPage();
    // API sessions of their own (a second login in a page's context would replace the page's session cookie).
    const signIn = async (username: string, password: string) => {
      const context = await newContext(browser, server.baseURL);
      contexts.push(context);
      const res = await context.request.post('/api/auth/login', { data: { username, password } });
      expect(res.status()).toBe(200);
      return { request: context.request, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
    };
    const [c, t] = [await signIn('county', 'county123'), await signIn('dongcheng', 'town123')];
    api = { county: c.request, town: t.request, csrf: { county: c.csrf, town: t.csrf } };
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  const drawer = (page: Page) => page.locator(`[data-testid="danger-drawer"][data-danger-id="${dangerId}"]`);
  const actions = (page: Page) => drawer(page).locator(`.task-actions[data-task-id="${taskId}"]`);
  const loaded = (page: Page, selector: string) =>
    page.locator(selector).evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

  it('the officers log in; the county tags a danger on 东城街道’s camera and dispatches it to 东城街道', async () => {
    await loginThroughForm(county, 'county', 'county123');
    await loginThroughForm(town, 'dongcheng', 'town123');
    await loginThroughForm(village, 'village', 'village123');
    const created = await api.county.post('/api/dangers', {
      headers: { 'x-csrf-token': api.csrf.county },
      data: { cameraId: CAMERA.id, capturedAt: new Date().toISOString(), category: 'fire', severity: 'major', note: '占道堆物（e2e）', evidenceJpeg: FRAME.toString('base64') },
    });
    expect(created.status()).toBe(201);
    dangerId = ((await created.json()) as Danger).id;
    const sent = await api.county.post(`/api/dangers/${dangerId}/dispatch`, {
      headers: { 'x-csrf-token': api.csrf.county }, data: { toUnitId: DONGCHENG_ID },
    });
    expect(sent.status(), await sent.text()).toBe(201);
    taskId = ((await sent.json()) as TaskSummary).id;
  });

  it('东城街道 accepts and reports it handled; the server attaches a fresh frame of the same camera', async () => {
    await town.locator(`[data-testid="toast"][data-danger-id="${dangerId}"]`).waitFor({ timeout: 30_000 });
    await town.locator('[data-tab="inbox"]').click();
    const card = town.locator(`[data-list="inbox"] .task-card[data-danger-id="${dangerId}"]`);
    await card.click();
    await drawer(town).waitFor();
    await actions(town).locator('[data-action="accept"]').click();
    await poll(() => card.getAttribute('data-status')).toBe('accepted');
    await actions(town).locator('[data-action="resolve"]').click();
    const form = actions(town).locator('[data-form="resolve"]');
    await form.locator('textarea[data-field="feedback"]').fill(FEEDBACK);
    await form.locator('[data-action="confirm"]').click();
    await poll(() => card.getAttribute('data-status')).toBe('resolved');

    const task = (await (await api.town.get(`/api/dispatch/tasks/${taskId}`)).json()) as TaskSummary;
    // The simulator's ONVIF snapshot of that camera answered: a frame, no reason.
    expect(task).toMatchObject({ status: 'resolved', closureFrameError: null, closureFrameUrl: `/api/dispatch/tasks/${taskId}/closure-frame` });
    const frame = await api.town.get(task.closureFrameUrl!);
    expect(frame.headers()['content-type']).toBe('image/jpeg');
    expect((await frame.body()).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    await screenshot(town, 'closure-township-resolved');
  });

  it('the county sees the tag frame and the 反馈 frame side by side, and approves (办结)', async () => {
    await county.locator('[data-tab="outbox"]').click();
    const card = county.locator(`[data-list="outbox"] .task-card[data-danger-id="${dangerId}"]`);
    await poll(() => card.getAttribute('data-status')).toBe('resolved');
    await card.click();
    await drawer(county).waitFor();
    const compare = drawer(county).locator(`[data-testid="closure-compare"][data-task-id="${taskId}"]`);
    await compare.waitFor();
    const before = compare.locator('[data-testid="compare-before"]');
    const after = compare.locator('[data-testid="compare-after"]');
    expect(await before.getAttribute('src')).toBe(`/api/dangers/${dangerId}/evidence`);
    expect(await after.getAttribute('src')).toBe(`/api/dispatch/tasks/${taskId}/closure-frame`);
    await poll(() => loaded(county, `[data-danger-id="${dangerId}"] [data-testid="compare-before"]`)).toBe(true);
    await poll(() => loaded(county, `[data-danger-id="${dangerId}"] [data-testid="compare-after"]`)).toBe(true);
    // Side by side: the same row, the 反馈 frame to the right of the tag frame, neither overlapping the other.
    const [b, a] = [(await before.boundingBox())!, (await after.boundingBox())!];
    expect(Math.abs(a.y - b.y)).toBeLessThan(2);
    expect(a.x).toBeGreaterThanOrEqual(b.x + b.width);
    expect(await compare.textContent()).toContain(zh['closure.before']);
    await poll(() => drawer(county).textContent()).toContain(FEEDBACK);
    await screenshot(county, 'closure-county-compare');

    await actions(county).locator('[data-action="close"]').click();
    await poll(() => drawer(county).getAttribute('data-status')).toBe('closed');
    await poll(() => card.getAttribute('data-status')).toBe('closed');
    const stats = (await (await api.county.get('/api/stats')).json()) as { total: { closed: number; dispatched: number; closureRatePercent: string } };
    expect(stats.total).toMatchObject({ closed: 1, dispatched: 1, closureRatePercent: '100.00' });
  });

  it('a resident reports a problem from the phone page, and the 团结社区 officer sees it arrive', async () => {
    // The village officer's console is open on the dangers list before anything is reported.
    await village.locator('[data-tab="dangers"]').click();
    await village.locator('[data-list="dangers"]').waitFor();

    const compoundId = demoUnits.findIndex((u) => u.name === COMPOUND_NAME) + 1;
    const made = await api.town.post('/api/share-links', {
      headers: { 'x-csrf-token': api.csrf.town },
      data: { orgUnitId: compoundId, label: '东城小区业主群（e2e 随手拍）', expiresInHours: 1, cameraIds: [RESIDENT_CAMERA.id] },
    });
    expect(made.status()).toBe(201);
    const { url } = (await made.json()) as CreatedShareLink;
    await phone.goto(new URL(url).pathname);
    await poll(() => phone.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');

    const cameraCard = phone.locator(`[data-testid="resident-camera"][data-camera-id="${RESIDENT_CAMERA.id}"]`);
    await cameraCard.locator('[data-action="report"]').tap();
    const form = phone.locator(`[data-testid="report-form"][data-camera-id="${RESIDENT_CAMERA.id}"]`);
    await form.waitFor();
    // The short resident list, not the whole taxonomy.
    const offered = await form.locator('select[data-field="category"] option').evaluateAll((els) => els.map((e) => (e as HTMLOptionElement).value).filter(Boolean));
    expect(offered).toEqual(['fire', 'road', 'public-order', 'environment', 'other']);
    // Nothing to upload: the phone sends no picture.
    expect(await form.locator('input[type="file"]').count()).toBe(0);
    await form.locator('select[data-field="category"]').selectOption('environment');
    await form.locator('textarea[data-field="note"]').fill(RESIDENT_NOTE);
    await form.locator('[data-action="send-report"]').tap();
    await phone.locator('[data-testid="report-sent"]').waitFor();
    const mine = phone.locator('[data-testid="my-reports"] li');
    await poll(() => mine.count()).toBe(1);
    expect(await mine.first().getAttribute('data-status')).toBe('received');
    // Its own report and nothing more: category, camera, time, and received (no reply, no officer, no other report).
    expect(await mine.first().textContent()).toContain(zh['report.received']);
    expect(await mine.first().textContent()).toContain(RESIDENT_CAMERA.seed.name);
    expect(await phone.locator('body').textContent()).not.toContain(RESIDENT_NOTE);
    await screenshot(phone, 'closure-resident-reported');

    // The village officer sees it arrive (socket.io; no reload), marked as a resident's report.
    const dangers = (await (await village.request.get('/api/dangers?origin=resident')).json()) as DangerPage;
    expect(dangers.items).toHaveLength(1);
    expect(dangers.items[0]).toMatchObject({ origin: 'resident', cameraId: RESIDENT_CAMERA.id, category: 'environment', note: RESIDENT_NOTE });
    const arrived = village.locator(`[data-list="dangers"] .danger-card[data-danger-id="${dangers.items[0].id}"]`);
    await arrived.waitFor({ timeout: 30_000 });
    expect(await arrived.locator('[data-origin="resident"]').textContent()).toBe(zh['closure.originResident']);
    await screenshot(village, 'closure-village-resident-report');
  });
});
