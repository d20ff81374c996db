// 审计日志 in Debian's Chromium (issue 9): the administrator opens the audit view, sees the newest rows with China
// time and actions in words, filters by an action group and sees only those rows (a Chinese link label intact),
// pages older and newer, and downloads the CSV of the applied filter. A county operator has no audit view.
//
// No demo cameras are started: the rows come from API calls (a failed login, a resident link) and from filler rows
// written straight into the log so that there is more than one page.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage } from '../../server/contracts/audit';
import { COMPOUND_NAME } from '../../server/demo/county';
import { chinaTime } from '../../web/src/lib/audit-logic';
import { DEMO, login } from '../helpers/app';
import { closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const LABEL = '东城小区业主群（审计）';
const FILLER = 60;

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

const rowActions = (page: Page) => page.locator('[data-testid="audit-table"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));

describe.skipIf(!hasChromium)('audit log (审计日志) in Chromium', { timeout: 300_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    const { app } = server.t;
    for (let i = 0; i < FILLER; i++) {
      await app.repos.audit.record({ actorType: 'system', action: 'camera.update', targetType: 'camera', targetId: i + 1, detail: { filler: i } });
    }
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: '张三', password: 'nope-nope' } })).statusCode).toBe(401);
    const dongcheng = await login(app, ...DEMO.dongcheng);
    const compound = (await app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const made = await app.inject({ method: 'POST', url: '/api/share-links', headers: dongcheng.headers, payload: { orgUnitId: compound.id, label: LABEL, expiresInHours: 2 } });
    expect(made.statusCode, made.body).toBe(201);
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  });
  afterAll(() => closeAll(() => context?.close(), () => browser?.close(), () => server?.close()));

  it('shows the newest rows first, in China time and in words', async () => {
    await loginThroughForm(page, ...DEMO.admin);
    await page.locator('button[data-view="audit"]').click();
    await page.locator('[data-testid="audit-view"]').waitFor({ state: 'visible' });
    await poll(async () => (await rowActions(page)).length).toBe(50);
    const actions = await rowActions(page);
    // The administrator's own sign-in is the newest row; the failed login sits below the link.
    expect(actions[0]).toBe('auth.login');
    expect(actions.indexOf('share.create')).toBeLessThan(actions.indexOf('auth.login-failed'));
    const first = page.locator('[data-testid="audit-table"] tbody tr').first();
    expect(await first.locator('[data-testid="audit-action"] span').textContent()).toBe('登录');
    const at = (await first.locator('time').getAttribute('datetime'))!;
    expect(await first.locator('time').textContent()).toBe(chinaTime(at));
    await page.locator('[data-testid="audit-filter-unit"] select').first().selectOption({ index: 1 });
    await page.locator('[data-testid="audit-filter-unit"] select[data-level="1"]').waitFor({ state: 'visible' });
    await screenshot(page, 'audit-newest');
    await page.locator('[data-testid="audit-filter-unit"] select').first().selectOption('');
    const failed = page.locator('tr[data-action="auth.login-failed"]');
    await expect(failed.textContent()).resolves.toContain('张三');
    await expect(failed.textContent()).resolves.toContain('未登录');
  });

  it('pages to older rows and back', async () => {
    const firstId = async () => Number(await page.locator('[data-testid="audit-table"] tbody tr').first().getAttribute('data-audit-id'));
    const newest = await firstId();
    await page.locator('[data-testid="audit-older"]').click();
    await poll(() => page.locator('[data-testid="audit-page"]').getAttribute('data-page')).toBe('2');
    // The second page holds the rest: at least the 64 rows written here, 50 on the first.
    await poll(firstId).toBeLessThan(newest);
    expect((await rowActions(page)).length).toBeGreaterThanOrEqual(14);
    expect(await rowActions(page)).toContain('camera.update');
    await page.locator('[data-testid="audit-newer"]').click();
    await poll(firstId).toBe(newest);
    expect(await page.locator('[data-testid="audit-page"]').getAttribute('data-page')).toBe('1');
  });

  it('filters by an action group, and the CSV carries the same filter', async () => {
    await page.locator('[data-testid="audit-filter-action"]').selectOption('share.');
    await page.locator('[data-testid="audit-apply"]').click();
    await poll(() => rowActions(page)).toEqual(['share.create']);
    const row = page.locator('tr[data-action="share.create"]');
    await expect(row.textContent()).resolves.toContain('创建居民链接');
    await expect(row.textContent()).resolves.toContain(LABEL);
    await expect(row.textContent()).resolves.toContain(COMPOUND_NAME);
    await screenshot(page, 'audit-filtered');

    const href = (await page.locator('[data-testid="audit-csv"]').getAttribute('href'))!;
    expect(href).toBe('/api/audit/export.csv?action=share.');
    const csv = await page.request.get(href);
    expect(csv.status()).toBe(200);
    const body = await csv.body();
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = body.subarray(3).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(LABEL);

    // The API agrees with the screen.
    const api = (await page.request.get('/api/audit?action=share.')).json() as Promise<AuditPage>;
    expect((await api).items.map((r) => r.action)).toEqual(['share.create']);
  });

  it('gives a county operator no audit view', async () => {
    const other = await newContext(browser, server.baseURL);
    try {
      const p = await other.newPage();
      await loginThroughForm(p, ...DEMO.county);
      await p.locator('button[data-view="stats"]').waitFor({ state: 'visible' });
      expect(await p.locator('button[data-view="audit"]').count()).toBe(0);
      expect((await p.request.get('/api/audit')).status()).toBe(403);
    } finally {
      await other.close();
    }
  });
});
