// First-time setup (系统初始化) in Debian's Chromium on a production database (demo off, no users): the setup URL the
// server printed opens the setup page with its token; a wrong token is refused at the token field, where the right
// one is pasted; the form refuses a weak password by the shared rule before any request; after creating the county
// and the administrator the page lands in the console, signed in, with the token gone from the address bar.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SETUP_TOKEN_FILE } from '../../server/setup/setup-token';
import { TEST_SIMULATOR_NET } from '../helpers/app';
import { closeAll, hasChromium, launchBrowser, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';
import { ADMIN_PASSWORD, COUNTY } from '../setup/helpers';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

describe.skipIf(!hasChromium)('first-time setup (系统初始化) in Chromium', { timeout: 300_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;

  beforeAll(async () => {
    server = await startServer({ demo: { enabled: false, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET } });
    token = readFileSync(join(server.t.dataDir, SETUP_TOKEN_FILE), 'utf8').trim();
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  });
  afterAll(() => closeAll(() => context?.close(), () => browser?.close(), () => server?.close()));

  const input = (name: string) => page.locator(`[data-testid="setup-page"] input[name="${name}"]`);
  const fieldError = (name: string) => page.locator(`[data-field-error="${name}"]`);

  it('opens from the printed link with its token, in Chinese, and takes the token out of the address bar', async () => {
    // A plain visit shows the setup page too (no users: no login could succeed), asking for the token.
    await page.goto('/');
    await page.locator('[data-testid="setup-page"]').waitFor({ state: 'visible' });
    expect(await input('token').isVisible()).toBe(true);
    expect(await page.locator('#login-title').count()).toBe(0);

    await page.goto('/setup#token=not-the-right-token');
    await page.locator('[data-testid="setup-token-from-link"]').waitFor({ state: 'visible' });
    expect(await page.locator('#setup-title').textContent()).toContain('系统初始化');
    expect(page.url()).toBe(`${server.baseURL}/`);
    await page.locator('button.lang-toggle').click();
    expect(await page.locator('#setup-title').textContent()).toContain('First-time setup');
    expect(await page.locator('legend').first().textContent()).toBe('County (root unit)');
    await page.locator('button.lang-toggle').click();
    expect(await page.locator('#setup-title').textContent()).toContain('系统初始化');
  });

  it('checks the form by the shared rules before sending anything', async () => {
    await input('countyName').fill(COUNTY.name);
    await input('countyCode').fill('339900');
    await input('username').fill('sun.li');
    await input('displayName').fill('孙丽');
    await input('password').fill('sun.li-2026-pass');
    await input('confirm').fill('sun.li-2026-pass');
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/setup') && r.method() === 'POST') requests.push(r.url());
    });
    await page.locator('[data-testid="setup-page"] button[type="submit"]').click();
    await fieldError('countyCode').waitFor({ state: 'visible' });
    expect(await fieldError('countyCode').textContent()).toContain('不是县级代码');
    expect(await fieldError('password').textContent()).toBe('密码不能包含用户名');
    expect(requests).toEqual([]);
    await screenshot(page, 'setup-form-problems');
  });

  it('refuses the wrong token at the token field, then takes the pasted one, creates the county and signs in', async () => {
    await input('countyCode').fill(COUNTY.code);
    await input('password').fill(ADMIN_PASSWORD);
    await input('confirm').fill(ADMIN_PASSWORD);
    await page.locator('[data-testid="setup-page"] button[type="submit"]').click();
    await fieldError('token').waitFor({ state: 'visible' });
    expect(await fieldError('token').textContent()).toBe('初始化令牌不正确');
    await input('token').fill(token);
    await page.locator('[data-testid="setup-page"] button[type="submit"]').click();
    await page.locator('[data-testid="user-name"]').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await page.locator('[data-testid="user-name"]').textContent()).toContain('孙丽');
    expect(page.url()).not.toContain(token);
    await screenshot(page, 'setup-signed-in');

    const { app } = server.t;
    expect((await app.inject({ url: '/api/setup' })).json()).toEqual({ needed: false, county: null });
    const root = await app.repos.orgUnits.findByCode(COUNTY.code);
    expect(root).toMatchObject({ name: COUNTY.name, level: 'county', parent_id: null });
    const [row] = await app.repos.audit.recent(5, 'setup.first-admin');
    expect(row).toMatchObject({ actorName: 'sun.li', ip: '127.0.0.1' });
  });

  it('shows the login page, not the setup page, once the console has its administrator', async () => {
    const other = await browser.newContext({ baseURL: server.baseURL, locale: 'zh-CN' });
    try {
      const fresh = await other.newPage();
      await fresh.goto(`/setup#token=${token}`);
      await fresh.locator('#login-title').waitFor({ state: 'visible' });
      expect(await fresh.locator('[data-testid="setup-page"]').count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
