// 组织机构 in Debian's Chromium (issue #16): an administrator opens the org tab of 设备管理, sees cameras and users
// per unit, creates a village under 东城街道, renames it with an English name that shows after the language
// toggle, moves it under 城关镇 with the unit picker and deletes it, each step checked against the API. No camera
// plays here: nothing is simulated.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUnit } from '../../server/contracts/api';
import { zh } from '../../web/src/i18n/zh';
import { DEMO, login, type Login } from '../helpers/app';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer,
} from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

describe.skipIf(!hasChromium)('org units view in Chromium', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let admin: Login;
  const dialogs: string[] = [];
  const ids = {} as Record<'county' | 'dongcheng' | 'chengguan', number>;

  const children = async (parentId: number) =>
    (await server.t.app.inject({ url: `/api/org/units?parentId=${parentId}`, headers: admin.headers })).json<OrgUnit[]>();
  const row = (id: number) => page.locator(`[data-testid="org-tree"] [data-unit-id="${id}"]`);
  const details = () => page.locator('[data-testid="org-details"]');

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server.t.app, ...DEMO.admin);
    for (const [key, code] of [['county', '339901'], ['dongcheng', '339901002'], ['chengguan', '339901001']] as const) {
      ids[key] = (await server.t.app.repos.orgUnits.findByCode(code))!.id;
    }
    browser = await launchBrowser();
    page = await (await newContext(browser, server.baseURL)).newPage();
    // Move and delete ask window.confirm: say yes, and keep the question to check its words.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
  });

  it('shows the tree with cameras and users per unit; a unit that is not empty cannot be deleted', async () => {
    await loginThroughForm(page, 'admin', 'admin123');
    await page.locator('button[data-view="devices"]').click();
    await page.locator('button[data-tab="org"]').click();
    expect(await page.locator('button[data-tab="org"]').textContent()).toBe(zh['devices.tab.org']);
    const towns = await children(ids.county);
    const dc = towns.find((u) => u.id === ids.dongcheng)!;
    await poll(() => row(ids.dongcheng).locator('.org-count').getAttribute('data-users')).toBe('2');
    expect(await row(ids.dongcheng).locator('.org-count').getAttribute('data-cameras')).toBe(String(dc.cameraCount));

    await row(ids.dongcheng).click();
    await poll(() => details().getAttribute('data-unit-id')).toBe(String(ids.dongcheng));
    expect(await details().locator('[data-field="users"]').textContent()).toBe('2');
    expect(await page.locator('[data-testid="org-delete"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="org-delete-reason"]').textContent()).toContain(`${dc.childCount} 个下级单位`);
    // The county is the administrator's own unit: neither moved nor deleted.
    await row(ids.county).click();
    await page.locator('[data-testid="org-own"]').waitFor();
  });

  let made: OrgUnit;

  it('creates a village under 东城街道 and renames it; the English name shows after the language toggle', async () => {
    await row(ids.dongcheng).click();
    await page.locator('[data-testid="org-new-name"]').fill('新风社区');
    await page.locator('[data-testid="org-create"]').click();
    await poll(async () => (await children(ids.dongcheng)).find((u) => u.name === '新风社区')).toBeTruthy();
    made = (await children(ids.dongcheng)).find((u) => u.name === '新风社区')!;
    expect(made).toMatchObject({ level: 'village', nameEn: null, code: '339901002005' });
    await poll(() => page.locator('[data-testid="org-message"]').textContent()).toBe('已新建“新风社区”');
    await poll(() => details().getAttribute('data-unit-id')).toBe(String(made.id));
    await poll(() => row(made.id).locator('.org-name').textContent()).toBe('新风社区');

    await page.locator('[data-testid="org-name"]').fill('新风村');
    await page.locator('[data-testid="org-name-en"]').fill('Xinfeng Village');
    await page.locator('[data-testid="org-save"]').click();
    await poll(async () => (await children(ids.dongcheng)).find((u) => u.id === made.id)).toMatchObject({ name: '新风村', nameEn: 'Xinfeng Village' });
    await poll(() => row(made.id).locator('.org-name').textContent()).toBe('新风村');

    await page.locator('button.lang-toggle').click();
    await poll(() => row(made.id).locator('.org-name').textContent()).toBe('Xinfeng Village');
    expect(await details().locator('[data-testid="org-title"]').textContent()).toBe('Xinfeng Village');
    // 东城街道 has no English name: the Chinese one stays.
    expect(await row(ids.dongcheng).locator('.org-name').textContent()).toBe('东城街道');
    await screenshot(page, 'org-english');
    await page.locator('button.lang-toggle').click();
    await poll(() => row(made.id).locator('.org-name').textContent()).toBe('新风村');
  });

  it('moves it under 城关镇 with the unit picker, then deletes it', async () => {
    const picker = page.locator('[data-testid="org-move-target"] select[data-level="0"]');
    await picker.selectOption({ label: '城关镇' });
    // A village's new parent is a township: the picker offers no deeper level.
    expect(await page.locator('[data-testid="org-move-target"] select[data-level="1"]').count()).toBe(0);
    await page.locator('[data-testid="org-move"]').click();
    await poll(async () => (await children(ids.chengguan)).map((u) => u.id)).toContain(made.id);
    expect((await children(ids.dongcheng)).map((u) => u.id)).not.toContain(made.id);
    expect(dialogs.at(-1)).toBe('将“新风村”及其全部下级移到“安澜县/城关镇”下？');
    await poll(() => page.locator('[data-testid="org-message"]').textContent()).toBe('已将“新风村”移到“安澜县/城关镇”下');
    // In the tree it now sits under 城关镇 (opened to show it).
    // Rows in tree order: 城关镇 (code …001) and its villages come before 东城街道 (…002).
    const order = () => page.locator('[data-testid="org-tree"] [data-unit-id]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-unit-id'))));
    await poll(async () => {
      const o = await order();
      return [o.indexOf(ids.chengguan) < o.indexOf(made.id), o.indexOf(made.id) < o.indexOf(ids.dongcheng), o.includes(ids.chengguan)];
    }).toEqual([true, true, true]);
    // Once: never also under 东城街道 from a child list read before the move.
    await poll(() => row(made.id).count()).toBe(1);
    expect(await row(made.id).getAttribute('aria-level')).toBe('3');

    await row(made.id).click();
    await poll(() => details().getAttribute('data-unit-id')).toBe(String(made.id));
    expect(await page.locator('[data-testid="org-delete"]').isDisabled()).toBe(false);
    await page.locator('[data-testid="org-delete"]').click();
    await poll(async () => (await children(ids.chengguan)).map((u) => u.id)).not.toContain(made.id);
    expect(dialogs.at(-1)).toBe('删除“新风村”？此操作不可撤销。');
    await poll(() => row(made.id).count()).toBe(0);
    await poll(() => details().getAttribute('data-unit-id')).toBe(String(ids.chengguan));
    const audit = await server.t.app.inject({ url: `/api/audit?targetType=org_unit&targetId=${made.id}`, headers: admin.headers });
    expect(audit.json<{ items: Array<{ action: string }> }>().items.map((r) => r.action)).toEqual(['org.delete', 'org.move', 'org.update', 'org.create']);
  });
});
