// 运维工单 in Debian's Chromium (issue 21): the administrator sets 天网's maintenance unit in the tickets view; a
// simulated camera of 团结社区 goes dark (simulator fault control) and, past the threshold, a ticket appears live in
// 东城街道's tickets view with that unit; the officer starts the repair; the camera comes back and the ticket leaves
// the open list by itself, shown 已恢复 under 全部; the statistics page shows its availability.
//
// Simulator index 4310 (its own loopback address); the demo cameras are removed so only this one is checked.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Maintainer } from '../../server/contracts/maintenance';
import { planCamera, startCamera, type SimCamera } from '../../scripts/simulator';
import { DEMO, login } from '../helpers/app';
import { closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

describe.skipIf(!hasChromium)('maintenance tickets (运维工单) in Chromium', { timeout: 300_000 }, () => {
  let server: E2EServer;
  let cam: SimCamera;
  let cameraId: number;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let officerCtx: BrowserContext;
  let admin: Page;
  let officer: Page;

  beforeAll(async () => {
    cam = await startCamera(planCamera({ index: 4310, name: 'ticket-e2e', network: 'skynet', orgUnitCode: '339901002001' }));
    // Checks every 1.2 s; offline 0.6 s opens a ticket; the sweep runs every 0.2 s.
    server = await startServer({
      health: { enabled: true, cycleMinutes: 0.02, concurrency: 8, timeoutMs: 800 },
      maintenance: { offlineMinutes: 0.01, sweepSec: 0.2 },
    });
    const { app } = server.t;
    await app.db.run('DELETE FROM cameras');
    cameraId = await app.repos.cameras.insert({
      network: 'skynet', externalId: 'E2E-DARK', name: '运维演示-团结路口', orgUnitId: (await app.repos.orgUnits.findByCode('339901002001'))!.id,
      sourceKind: 'rtsp', endpoint: cam.rtspUrl, streamUrl: cam.rtspUrl, credentials: { username: 'admin', password: cam.spec.password },
    });
    browser = await launchBrowser();
    adminCtx = await newContext(browser, server.baseURL);
    officerCtx = await newContext(browser, server.baseURL);
    admin = await adminCtx.newPage();
    officer = await officerCtx.newPage();
  });
  afterAll(() => closeAll(() => adminCtx?.close(), () => officerCtx?.close(), () => browser?.close(), () => server?.close(), () => cam?.close()));

  it('lets the administrator set a network\'s maintenance unit', async () => {
    await loginThroughForm(admin, ...DEMO.admin);
    await admin.locator('button[data-view="tickets"]').click();
    const row = admin.locator('[data-testid="maintainers"] tr[data-network="skynet"]');
    await row.locator('input').nth(0).fill('县电信分公司');
    await row.locator('input').nth(1).fill('李工');
    await row.locator('input').nth(2).fill('13800000000');
    await row.locator('button').click();
    await admin.locator('[data-testid="maintainers"] [role="status"]').filter({ hasText: '已保存' }).waitFor();
    const s = await login(server.t.app, ...DEMO.county);
    const list = (await server.t.app.inject({ url: '/api/maintenance/maintainers', headers: { cookie: s.cookie } })).json<Maintainer[]>();
    expect(list.find((m) => m.network === 'skynet')).toMatchObject({ unitName: '县电信分公司', contact: '李工', phone: '13800000000' });
  });

  it('shows a ticket when the camera stays dark, takes 开始维修, and sees it recover by itself', async () => {
    await poll(async () => (await server.t.app.repos.cameras.byId(cameraId))?.status).toBe('online');
    await loginThroughForm(officer, ...DEMO.dongcheng);
    await officer.locator('button[data-view="tickets"]').click();
    await officer.locator('[data-testid="tickets-view"]').waitFor({ state: 'visible' });
    await officer.getByText('没有工单').waitFor();

    cam.setFault({ kind: 'offline' });
    const row = officer.locator('[data-testid="tickets-table"] tbody tr').first();
    // Arrives through the 'ticket:changed' event: the page is not reloaded.
    await poll(() => row.getAttribute('data-state').catch(() => null)).toBe('dispatched');
    expect(await row.textContent()).toContain('运维演示-团结路口');
    expect(await row.textContent()).toContain('县电信分公司');
    expect(await row.locator('.ticket-state').textContent()).toBe('已派单');
    expect(await row.locator('button[data-action]').evaluateAll((b) => b.map((x) => x.getAttribute('data-action')))).toEqual(['start', 'fixed']);
    await row.locator('button[data-action="start"]').click();
    await poll(() => row.getAttribute('data-state')).toBe('repairing');
    expect(await row.locator('.ticket-state').textContent()).toBe('维修中');
    await screenshot(officer, 'tickets-repairing');

    cam.setFault({ kind: 'none' });
    await cam.settled();
    await officer.getByText('没有工单').waitFor({ timeout: 60_000 });
    await officer.locator('button[data-filter="all"]').click();
    await poll(() => officer.locator('[data-testid="tickets-table"] tbody tr').first().getAttribute('data-state').catch(() => null)).toBe('recovered');
    expect(await officer.locator('[data-testid="tickets-table"] tbody tr .ticket-state').first().textContent()).toBe('已恢复');
  });

  it('shows 在线率 and 完好率 with the tickets on the statistics page', async () => {
    await officer.locator('button[data-view="stats"]').click();
    const skynet = officer.locator('[data-table="availability-network"] tr[data-key="skynet"]');
    await skynet.waitFor();
    const cells = await skynet.locator('td').allTextContents();
    // cameras, 在线率, 完好率, open tickets, tickets opened
    expect(cells[0]).toBe('1');
    expect(cells[1]).toMatch(/^\d+\.\d%$/);
    expect(cells[2]).toMatch(/^\d+\.\d%$/);
    expect(cells.slice(3)).toEqual(['0', '1']);
    expect(await officer.locator('[data-testid="availability-csv-network"]').getAttribute('href')).toContain('/api/stats/availability.csv?groupBy=network');
    await screenshot(officer, 'tickets-availability');
  });
});
