// 用户管理 and 我的账户 in Debian's Chromium (issue #16): the county administrator creates a township officer in the
// form (password shown once); the officer signs in, gets the forced password change (the shared policy checked
// before submit), then sees only the township; disabling the officer ends the officer's live page at once (socket
// gone, back at the login form); a township administrator is offered no county operator and the API refuses one
// (403 naming role); a 530-row staff sheet is checked (bad rows listed) and imported, its passwords downloadable
// once; 我的账户 lists the sessions and ends one.
//
// No demo cameras are started: nothing plays here.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ErrorBody, OrgUnit } from '../../server/contracts/api';
import type { UserWithPassword } from '../../server/contracts/users';
import { parseCsv } from '../../server/csv/parse';
import { roster, rosterCsv } from '../../scripts/bench/users/roster';
import { DEMO, login } from '../helpers/app';
import { closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer } from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

const NEW_PASSWORD = '城关-Lighthouse-2026';

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

describe.skipIf(!hasChromium)('user management (用户管理) in Chromium', { timeout: 300_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let adminContext: BrowserContext;
  let admin: Page;
  let officerContext: BrowserContext;
  let officer: Page;
  let initialPassword: string;
  let chengguanId: number;

  beforeAll(async () => {
    server = await startServer({ login: { maxAttemptsPerMinute: 1000 } });
    chengguanId = (await server.t.app.repos.orgUnits.findByCode('339901001'))!.id;
    browser = await launchBrowser();
    adminContext = await newContext(browser, server.baseURL);
    admin = await adminContext.newPage();
    officerContext = await newContext(browser, server.baseURL);
    officer = await officerContext.newPage();
  });
  afterAll(() => closeAll(() => officerContext?.close(), () => adminContext?.close(), () => browser?.close(), () => server?.close()));

  const row = (page: Page, username: string) => page.locator(`[data-table="users"] tr[data-username="${username}"]`);

  it('the administrator creates a township officer; the initial password is shown once', async () => {
    await loginThroughForm(admin, ...DEMO.admin);
    await admin.locator('button[data-view="users"]').click();
    await admin.locator('[data-testid="users-view"]').waitFor({ state: 'visible' });
    await row(admin, 'chengguan').waitFor({ state: 'visible' });

    await admin.locator('[data-testid="users-create"]').click();
    const form = admin.locator('[data-testid="user-form"]');
    await form.locator('input[name="username"]').fill('cg.officer');
    await form.locator('input[name="displayName"]').fill('城关镇新值班员');
    await form.locator('input[name="phone"]').fill('13800001111');
    // With the county itself chosen, a township officer is not offered; with 城关镇, a county operator is not.
    expect(await form.locator('select[name="role"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['', 'admin', 'county_operator']);
    await form.locator('[data-testid="user-form-unit"] select[data-level="0"]').selectOption(String(chengguanId));
    await poll(() => form.locator('select[name="role"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(['', 'admin', 'township_officer']);
    await form.locator('select[name="role"]').selectOption('township_officer');
    await screenshot(admin, 'users-create');
    await admin.locator('[data-testid="user-form-submit"]').click();

    const once = admin.locator('[data-testid="password-once"]');
    await once.waitFor({ state: 'visible' });
    initialPassword = (await once.locator('[data-testid="initial-password"]').textContent())!;
    expect(initialPassword).toMatch(/^[A-Za-z2-9]{4}(-[A-Za-z2-9]{4}){3}$/);
    await screenshot(admin, 'users-password-once');
    await admin.locator('[data-testid="password-once-done"]').click();
    await row(admin, 'cg.officer').waitFor({ state: 'visible' });
    expect(await row(admin, 'cg.officer').locator('[data-field="unit"]').textContent()).toBe('安澜县/城关镇');
    await expect(row(admin, 'cg.officer').textContent()).resolves.toContain('待改密');
    // Nowhere to read it again.
    expect(await admin.content()).not.toContain(initialPassword);
  });

  it('the officer signs in, must change the password first, then sees only the township', async () => {
    await officer.goto('/');
    await officer.locator('form.login-card input[name="username"]').fill('cg.officer');
    await officer.locator('form.login-card input[name="password"]').fill(initialPassword);
    await officer.locator('form.login-card button[type="submit"]').click();
    const forced = officer.locator('[data-testid="forced-change"]');
    await forced.waitFor({ state: 'visible' });
    await expect(forced.locator('[data-testid="password-policy"]').textContent()).resolves.toContain('至少 10 个字符');
    // The console is not there, and the API says why.
    expect(await officer.locator('[data-testid="user-name"]').count()).toBe(0);
    const blocked = await officer.request.get('/api/cameras');
    expect(blocked.status()).toBe(403);
    expect(((await blocked.json()) as ErrorBody).message).toMatch(/^Password change required/);

    // The policy is checked before anything is sent.
    await forced.locator('input[data-field="currentPassword"]').fill(initialPassword);
    await forced.locator('input[data-field="newPassword"]').fill('cg.officer-2026');
    await forced.locator('input[data-field="confirm"]').fill('cg.officer-2026');
    await forced.locator('[data-testid="password-submit"]').click();
    await expect(forced.locator('[data-error-for="newPassword"]').textContent()).resolves.toBe('密码不能包含用户名'); // the shared policy text (password.problem.*), as the setup page shows it
    await screenshot(officer, 'users-forced-change');
    await forced.locator('input[data-field="newPassword"]').fill(NEW_PASSWORD);
    await forced.locator('input[data-field="confirm"]').fill(NEW_PASSWORD);
    await forced.locator('[data-testid="password-submit"]').click();

    await officer.locator('[data-testid="user-name"]').waitFor({ state: 'visible' });
    expect(await officer.locator('[data-testid="user-org"]').textContent()).toBe('城关镇');
    expect(await officer.locator('[data-testid="user-role"]').textContent()).toBe('乡镇值班员');
    const scope = (await (await officer.request.get('/api/org/units')).json()) as OrgUnit[];
    expect(scope.map((u) => u.name)).toEqual(['城关镇']);
    const cameras = (await (await officer.request.get('/api/cameras?limit=500')).json()) as { items: Array<{ orgUnitId: number }> };
    expect(cameras.items.length).toBeGreaterThan(0);
    const paths = (await (await officer.request.get(`/api/org/units/paths?ids=${[...new Set(cameras.items.map((c) => c.orgUnitId))].join(',')}`)).json()) as Array<{ path: string }>;
    expect(paths.every((p) => p.path.startsWith('安澜县/城关镇'))).toBe(true);
    // Its live link is up.
    await officer.locator('.link-state.up').waitFor({ state: 'attached' });
  });

  it('disabling the officer ends the live page at once: socket gone, back at the login form', async () => {
    const id = (await server.t.app.repos.users.credentials('cg.officer'))!.id;
    const live = () => server.t.app.realtime.io.in(`user:${id}`).fetchSockets().then((s) => s.length);
    await poll(live).toBe(1);
    await admin.reload();
    await admin.locator('button[data-view="users"]').click();
    const r = row(admin, 'cg.officer');
    await r.locator('[data-action="disable"]').click();
    await r.locator('[data-action="confirm-disable"]').click();
    await poll(() => r.getAttribute('data-status')).toBe('disabled');
    expect(await live()).toBe(0);
    await officer.locator('form.login-card').waitFor({ state: 'visible' });
    await expect(officer.locator('.login-error').textContent()).resolves.toBe('登录已失效，请重新登录');
    await screenshot(officer, 'users-disabled-signed-out');
    // And it cannot come back.
    await officer.locator('form.login-card input[name="username"]').fill('cg.officer');
    await officer.locator('form.login-card input[name="password"]').fill(NEW_PASSWORD);
    await officer.locator('form.login-card button[type="submit"]').click();
    await poll(() => officer.locator('.login-error').textContent()).toBe('用户名或密码错误');
  });

  it('a township administrator is offered no county operator, and the API refuses one naming the field', async () => {
    const made = await server.t.app.inject({
      method: 'POST', url: '/api/users', headers: (await login(server.t.app, ...DEMO.admin)).headers,
      payload: { username: 'cg.admin', displayName: '城关镇管理员', role: 'admin', orgUnitId: chengguanId },
    });
    const { initialPassword: first } = made.json<UserWithPassword>();
    const townAdmin = await login(server.t.app, 'cg.admin', first);
    await server.t.app.inject({ method: 'POST', url: '/api/account/password', headers: townAdmin.headers, payload: { currentPassword: first, newPassword: NEW_PASSWORD } });
    const refused = await server.t.app.inject({
      method: 'POST', url: '/api/users', headers: townAdmin.headers,
      payload: { username: 'cg.county', displayName: '越级', role: 'county_operator', orgUnitId: chengguanId },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<ErrorBody>().field).toBe('role');

    const context = await newContext(browser, server.baseURL);
    try {
      const page = await context.newPage();
      await loginThroughForm(page, 'cg.admin', NEW_PASSWORD);
      await page.locator('button[data-view="users"]').click();
      await page.locator('[data-testid="users-create"]').click();
      const options = () => page.locator('[data-testid="user-form"] select[name="role"] option').evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value));
      await poll(options).toEqual(['', 'admin', 'township_officer']);
      // Only the township's units in the picker, and only its accounts in the list.
      expect(await page.locator('[data-testid="user-form-unit"] .org-picker-root').textContent()).toBe('城关镇');
      await page.locator('[data-testid="user-form"] .tile-close').click();
      const units = await page.locator('[data-table="users"] [data-field="unit"]').allTextContents();
      expect(units.length).toBeGreaterThan(0);
      expect(units.every((u) => u.startsWith('安澜县/城关镇'))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it('imports a 530-row staff sheet: the dry run lists the bad rows, the commit gives the passwords once', async () => {
    const rows = roster(530, 'e2e');
    const sheet = rosterCsv([...rows, { username: 'e2e.bad', name: '层级错', role: '村级值班员', orgPath: '安澜县/城关镇', phone: '' }]);
    await admin.locator('button.devices-tab[data-tab="import"]').click();
    await admin.locator('[data-testid="users-import-file"]').setInputFiles({ name: 'staff.csv', mimeType: 'text/csv', buffer: Buffer.from(sheet) });
    await admin.locator('[data-testid="users-import-dry-run"]').click();
    const result = admin.locator('[data-testid="users-import-result"]');
    await poll(() => result.getAttribute('data-dry-run')).toBe('true');
    expect(await result.locator('[data-stat="accepted"] b').textContent()).toBe('530');
    expect(await result.locator('[data-stat="rejected"] b').textContent()).toBe('1');
    const bad = result.locator('[data-table="users-import-errors"] tr[data-row="531"]');
    expect(await bad.getAttribute('data-field')).toBe('role');
    await expect(bad.textContent()).resolves.toContain('角色');
    await screenshot(admin, 'users-import-dry-run');

    await admin.locator('[data-testid="users-import-commit"]').click();
    await poll(() => result.getAttribute('data-committed')).toBe('true');
    expect(await result.locator('[data-stat="created"] b').textContent()).toBe('530');
    expect(await result.locator('[data-table="users-created"] tbody tr').count()).toBe(530);
    const shown = await result.locator('[data-table="users-created"] tr[data-username="e2e0001"] [data-field="initial-password"]').textContent();
    // The download is the server's CSV: BOM, one row per account with its password.
    const [download] = await Promise.all([admin.waitForEvent('download'), admin.locator('[data-testid="users-import-passwords"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^initial-passwords-\d{4}-\d{2}-\d{2}\.csv$/);
    const bytes = readFileSync((await download.path())!);
    const text = { bom: [...bytes.subarray(0, 3)], text: bytes.toString('utf8') };
    expect(text.bom).toEqual([0xef, 0xbb, 0xbf]);
    const table = parseCsv(text.text);
    expect(table.headers).toEqual(['用户名', '姓名', '角色', '所属单位', '初始密码']);
    expect(table.records).toHaveLength(530);
    expect(table.records[0].values).toEqual(['e2e0001', rows[0].name, rows[0].role, rows[0].orgPath, shown]);
    await screenshot(admin, 'users-import-committed');
    // One of them signs in with it and is asked to change it.
    const res = await server.t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'e2e0001', password: shown } });
    expect(res.json()).toMatchObject({ mustChangePassword: true });
  });

  it('我的账户 lists the sessions, the current one marked, and ends another', async () => {
    await login(server.t.app, ...DEMO.admin); // a second session of the administrator's
    await admin.locator('[data-testid="user-name"]').click();
    const view = admin.locator('[data-testid="account-view"]');
    await view.waitFor({ state: 'visible' });
    await expect(view.locator('[data-testid="password-policy"]').textContent()).resolves.toContain('10');
    const sessions = view.locator('[data-testid="account-sessions"] tbody tr');
    await poll(() => sessions.count()).toBeGreaterThanOrEqual(2);
    const before = await sessions.count();
    expect(await view.locator('tr[data-current="true"]').count()).toBe(1);
    await screenshot(admin, 'users-account');
    await view.locator('tr[data-current="false"] [data-action="end-session"]').first().click();
    await poll(() => sessions.count()).toBe(before - 1);
    // This page is still signed in.
    expect((await admin.request.get('/api/auth/me')).status()).toBe(200);
  });
});
