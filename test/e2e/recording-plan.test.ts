// 录像计划 in Chromium (issue #17): a township officer opens a camera's recording plan from the camera list, sees it
// inherit nothing (off), chooses the weekly schedule, marks Monday 08:00–10:00 and the whole of Sunday on the hour
// grid and saves; the server holds exactly that plan and the dialog shows it in effect from the camera itself.
//
// No simulated camera: a schedule outside its hours pins no relay, and within them the relay only retries.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordingSettings } from '../../server/contracts/recordings';
import { closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!hasChromium)('recording plan editor', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
  });

  const openPlan = async (p: Page) => {
    await p.locator('button[data-view="devices"]').click();
    const row = p.locator('[data-table="cameras"] tbody tr').first();
    await row.waitFor();
    const cameraId = Number(await row.getAttribute('data-camera-id'));
    await row.locator('[data-action="recording-plan"]').click();
    const dialog = p.locator('[data-testid="recording-plan-dialog"]');
    await dialog.locator('[data-testid="recplan-effective"]').waitFor();
    return { cameraId, dialog };
  };

  it('a township officer draws a weekly schedule on the grid and saves it', async () => {
    await loginThroughForm(page, 'dongcheng', 'town123');
    const { cameraId, dialog } = await openPlan(page);
    const effective = dialog.locator('[data-testid="recplan-effective"]');
    expect(await effective.getAttribute('data-source')).toBe('none');
    expect(await effective.getAttribute('data-mode')).toBe('off');

    await dialog.locator('select[data-field="recplan-mode"]').selectOption('schedule');
    const grid = dialog.locator('[data-testid="week-grid"]');
    await grid.locator('tr[data-day="0"] [data-hour="8"]').click();
    await grid.locator('tr[data-day="0"] [data-hour="9"]').click();
    await grid.locator('tr[data-day="6"] .week-day').click();
    expect(await grid.locator('tr[data-day="6"] .week-cell.on').count()).toBe(24);
    await screenshot(page, 'recording-plan-grid');
    await dialog.locator('[data-action="save-plan"]').click();
    await expect.poll(() => effective.getAttribute('data-source'), { timeout: 15_000 }).toBe('camera');
    expect(await effective.getAttribute('data-mode')).toBe('schedule');

    const saved = (await (await page.request.get(`/api/recordings/${cameraId}/settings`)).json()) as RecordingSettings;
    expect(saved.own?.schedule?.days).toEqual([[{ from: '08:00', to: '10:00' }], [], [], [], [], [], [{ from: '00:00', to: '24:00' }]]);
    expect(saved.nextChange).not.toBeNull();
  });
});
