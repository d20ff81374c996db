// 视频巡查 in Chromium: a patrol plan of four 东城街道 cameras run by the county centre falls due while the county
// operator is signed in (toast, badge); the operator starts it from the patrol page, the wall shows each camera in
// turn, 正常 unlocks only after the dwell has actually played, one camera gets 发现隐患 through the tag dialog and is
// dispatched to 东城街道, whose officer receives it live; the run completes with four marks and proof of viewing.
//
// Demo camera indexes reserved for this file: 98, 99, 114 and 116 (database ids one higher), all H.264 in 东城街道 and
// its villages and compound (60–69 are test/e2e/ptz.test.ts's, 96 and 124 test/e2e/closure.test.ts's).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PatrolPlan, PatrolRunDetail, PatrolRunPage } from '../../server/contracts/patrol';
import {
  closeAll, demoCamera, demoUnit, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot,
  startDemoCameras, startServer, type CameraSet, type E2EServer,
} from '../helpers/browser';

const CAMERAS = [98, 99, 114, 116].map(demoCamera);
const DONGCHENG = demoUnit('339901002');
const DWELL_SEC = 5;
const NOTE = '巡查发现水库大坝护栏缺失（e2e）';
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('视频巡查 in Chromium', { timeout: 240_000 }, () => {
  let server: E2EServer;
  let cams: CameraSet;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  let county: Page;
  let town: Page;
  let plan: PatrolPlan;
  let runId: number;

  beforeAll(async () => {
    server = await startServer({ dispatch: { overdueScanSec: 0 } });
    cams = await startDemoCameras(CAMERAS.map((c) => c.index));
    browser = await launchBrowser();
    for (let i = 0; i < 2; i++) contexts.push(await newContext(browser, server.baseURL));
    [county, town] = await Promise.all(contexts.map((c) => c.newPage()));
    const app = server.t.app;
    const user = (await app.repos.users.byId((await app.repos.users.credentials('county'))!.id))!;
    const countyUnit = (await app.repos.orgUnits.findByCode('339901'))!;
    plan = await app.patrol.savePlan(user, undefined, {
      name: '县中心夜间巡查（e2e）', orgUnitId: countyUnit.id, cameraIds: CAMERAS.map((c) => c.id), shifts: ['21:00'], dwellSec: DWELL_SEC,
    }, '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), () => cams?.close());
  });

  const bar = () => county.locator('[data-testid="patrol-bar"]');
  const current = () => bar().locator('.patrol-current').getAttribute('data-camera-id');
  const played = async () => Number(await bar().locator('[data-field="played"]').getAttribute('data-played'));

  it('a run falls due while the county operator is signed in: toast and badge, and the officers sign in', async () => {
    await loginThroughForm(county, 'county', 'county123');
    await loginThroughForm(town, 'dongcheng', 'town123');
    expect(await county.locator('[data-testid="nav-badge-patrol"]').count()).toBe(0);
    expect(await server.t.app.patrol.scheduleDue(new Date(Date.parse(plan.createdAt) + 86_400_000))).toBe(1);
    await county.locator('[data-testid="toast"]', { hasText: plan.name }).waitFor({ timeout: 30_000 });
    await poll(() => county.locator('[data-testid="nav-badge-patrol"]').textContent()).toBe('1');
    // The township is not the plan's unit: no badge there (and village officers have no patrol page at all).
    expect(await town.locator('[data-testid="nav-badge-patrol"]').count()).toBe(0);
  });

  it('starts the run from the patrol page; the wall shows its first camera, and 正常 waits for the dwell to play', async () => {
    await county.locator('.nav-btn[data-view="patrol"]').click();
    const row = county.locator('[data-testid="patrol-runs"] tr[data-state="due"]').first();
    await row.waitFor();
    runId = Number(await row.getAttribute('data-run-id'));
    await row.locator('[data-action="run"]').click();
    await bar().waitFor();
    await poll(current).toBe(String(CAMERAS[0].id));
    await county.locator(`.wall-grid video[data-camera-id="${CAMERAS[0].id}"]`).waitFor({ state: 'attached' });
    expect(await bar().locator('[data-mark="normal"]').isDisabled()).toBe(true);
    await poll(played).toBeGreaterThanOrEqual(DWELL_SEC);
    await poll(() => bar().locator('[data-mark="normal"]').isEnabled()).toBe(true);
    await screenshot(county, 'patrol-running');
    await bar().locator('[data-mark="normal"]').click();
    await poll(current).toBe(String(CAMERAS[1].id));
  });

  it('tags a danger on the second camera through the tag dialog, dispatched to 东城街道, which receives it live', async () => {
    await poll(played).toBeGreaterThan(0.5); // a frame is on screen to capture
    await bar().locator('[data-mark="danger"]').click();
    const dialog = county.locator('[data-testid="tag-dialog"]');
    await dialog.waitFor();
    expect(await dialog.locator('[data-field="camera"]').getAttribute('data-camera-id')).toBe(String(CAMERAS[1].id));
    await dialog.locator('select[data-field="category"]').selectOption('fire');
    await dialog.locator('textarea[data-field="note"]').fill(NOTE);
    await poll(async () => dialog.locator('select[data-field="to-unit"] option:checked').textContent()).toBe(DONGCHENG.name);
    await dialog.locator('[data-action="submit-danger"]').click();
    await dialog.waitFor({ state: 'detached' });
    await poll(current).toBe(String(CAMERAS[2].id));
    expect(await bar().locator(`.patrol-dot[data-camera-id="${CAMERAS[1].id}"]`).getAttribute('class')).toContain('danger');
    const dangers = (await (await county.request.get('/api/dangers')).json()) as { items: Array<{ id: number; note: string | null }> };
    const danger = dangers.items.find((d) => d.note === NOTE)!;
    await town.locator(`[data-testid="toast"][data-danger-id="${danger.id}"]`).waitFor({ timeout: 30_000 });
  });

  it('marks the rest (one picture abnormal at once), completes, and the run keeps the proof of viewing', async () => {
    await bar().locator('[data-mark="abnormal"]').click();
    await poll(current).toBe(String(CAMERAS[3].id));
    expect(await bar().locator('[data-action="complete"]').isDisabled()).toBe(true);
    await poll(played).toBeGreaterThanOrEqual(DWELL_SEC);
    await bar().locator('[data-mark="normal"]').click();
    await poll(() => bar().locator('[data-action="complete"]').isEnabled()).toBe(true);
    await bar().locator('[data-action="complete"]').click();
    await bar().waitFor({ state: 'detached' });

    const detail = (await (await county.request.get(`/api/patrol/runs/${runId}`)).json()) as PatrolRunDetail;
    expect(detail.run).toMatchObject({ state: 'completed', marked: 4, findings: 2, operator: 'county' });
    const byCamera = new Map(detail.marks.map((m) => [m.cameraId, m]));
    expect(CAMERAS.map((c) => byCamera.get(c.id)?.result)).toEqual(['normal', 'danger', 'abnormal', 'normal']);
    for (const c of [CAMERAS[0], CAMERAS[3]]) {
      expect(byCamera.get(c.id)!.playedSec).toBeGreaterThanOrEqual(DWELL_SEC);
      expect(byCamera.get(c.id)!.hasFrame).toBe(true);
    }
    const frame = await county.request.get(`/api/patrol/runs/${runId}/cameras/${CAMERAS[0].id}/frame.jpg`);
    expect(frame.headers()['content-type']).toBe('image/jpeg');
    const open = (await (await county.request.get('/api/patrol/runs?state=open')).json()) as PatrolRunPage;
    expect(open.total).toBe(0);
    await poll(() => county.locator('[data-testid="nav-badge-patrol"]').count()).toBe(0);
  });

  it('hands the next run over to a colleague of the county from the bar', async () => {
    expect(await server.t.app.patrol.scheduleDue(new Date(Date.parse(plan.createdAt) + 2 * 86_400_000))).toBe(1);
    await county.locator('.nav-btn[data-view="patrol"]').click();
    const row = county.locator('[data-testid="patrol-runs"] tr[data-state="due"]').first();
    await row.waitFor();
    const next = Number(await row.getAttribute('data-run-id'));
    await row.locator('[data-action="run"]').click();
    await bar().waitFor();
    await bar().locator('[data-action="handover"]').click();
    const select = bar().locator('select[data-field="handover-to"]');
    const admin = (await server.t.app.repos.users.credentials('admin'))!.id;
    await poll(() => select.locator(`option[value="${admin}"]`).count()).toBe(1);
    await select.selectOption(String(admin));
    await bar().waitFor({ state: 'detached' });
    const detail = (await (await county.request.get(`/api/patrol/runs/${next}`)).json()) as PatrolRunDetail;
    expect(detail.run).toMatchObject({ state: 'paused', operator: 'admin' });
  });
});
