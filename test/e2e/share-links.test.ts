// 居民链接 in Debian's Chromium (issue 8, the operator side): the township officer dongcheng opens the view, picks
// 东城小区 in the org tree (its public-area cameras come ticked, the back-office ones unticked and marked), sees a
// refused non-public camera reported at that camera by the server, creates the link with the default cameras, gets
// the URL and a QR image that decodes, and a print layout with only the QR card. A phone-sized context opens the
// URL and lists the compound's public-area cameras; the officer revokes the link from the list, the phone's reload
// says the link is no longer valid, and the officer of another township (chengguan) never sees the link.
//
// No demo cameras are started: nothing here plays video (the resident page lists cameras without playing them).
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareLink } from '../../server/contracts/share';
import { COMPOUND_NAME, DEMO_PLAN, generateCounty } from '../../server/demo/county';
import { zh } from '../../web/src/i18n/zh';
import {
  ARTIFACTS_DIR, closeAll, hasChromium, launchBrowser, newPhoneContext, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer,
} from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

// Units and cameras are seeded in county order into an empty database: database id = index + 1.
const county = generateCounty(DEMO_PLAN);
const unitId = (code: string) => county.units.findIndex((u) => u.code === code) + 1;
const compound = county.units.find((u) => u.name === COMPOUND_NAME)!;
const COMPOUND_ID = unitId(compound.code);
const COMMUNITY_ID = unitId(compound.parentCode!);
const compoundCameras = county.cameras.filter((c) => c.orgUnitCode === compound.code);
const PUBLIC_IDS = compoundCameras.filter((c) => c.publicArea).map((c) => c.index + 1);
const PRIVATE_IDS = compoundCameras.filter((c) => !c.publicArea).map((c) => c.index + 1);
const LABEL = '东城小区业主群（e2e）';

/** expect.poll with a limit fit for a loaded 2-core machine. No timing is asserted. */
const poll = <T>(fn: () => T | Promise<T>, timeout = 60_000) => expect.poll(fn, { timeout, interval: 250 });

async function openShareView(page: Page): Promise<void> {
  await page.locator('button[data-view="share"]').click();
  await page.locator('[data-testid="share-links-view"]').waitFor({ state: 'visible' });
  await poll(() => page.locator('[data-testid="share-list"]').getAttribute('data-state')).toBe('ready');
}

describe.skipIf(!hasChromium)('resident links management (居民链接) in Chromium', { timeout: 300_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let officer: BrowserContext;
  let phone: BrowserContext;
  let page: Page;
  let phonePage: Page;
  let linkId: number;
  let linkPath: string;

  beforeAll(async () => {
    expect(PUBLIC_IDS.length).toBeGreaterThan(1);
    expect(PRIVATE_IDS.length).toBeGreaterThan(0);
    server = await startServer();
    browser = await launchBrowser();
    officer = await newContext(browser, server.baseURL);
    await officer.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseURL });
    page = await officer.newPage();
    phone = await newPhoneContext(browser, server.baseURL);
    phonePage = await phone.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
  });

  it('dongcheng creates a link for 东城小区 with the default cameras: URL, QR and print card', async () => {
    await loginThroughForm(page, 'dongcheng', 'town123');
    expect(await page.locator('button[data-view="share"]').textContent()).toBe(zh['nav.share']);
    await openShareView(page);

    // The unit tree holds dongcheng's scope only; open the community and pick the compound.
    const tree = page.locator('[data-testid="share-unit-tree"]');
    await tree.locator(`[data-unit-id="${COMMUNITY_ID}"] .twisty`).click();
    await tree.locator(`[data-unit-id="${COMPOUND_ID}"]`).click();
    await poll(() => page.locator('[data-testid="share-unit"]').textContent()).toContain(COMPOUND_NAME);

    // Public-area cameras ticked, the others listed unticked and marked non-public.
    const count = page.locator('[data-testid="share-camera-count"]');
    await poll(() => count.getAttribute('data-selected')).toBe(String(PUBLIC_IDS.length));
    expect(await count.getAttribute('data-public')).toBe(String(PUBLIC_IDS.length));
    const rows = page.locator('[data-testid="share-cameras"] li');
    expect(await rows.count()).toBe(compoundCameras.length);
    const listed = await rows.evaluateAll((els) =>
      els.map((li) => ({
        id: Number(li.getAttribute('data-camera-id')),
        isPublic: li.getAttribute('data-public') === 'true',
        checked: (li.querySelector('input[type=checkbox]') as HTMLInputElement).checked,
        marked: li.querySelector('.share-tag') !== null,
      })),
    );
    expect(listed.filter((r) => r.checked).map((r) => r.id).sort((a, b) => a - b)).toEqual(PUBLIC_IDS);
    for (const row of listed) expect(row, `camera ${row.id}`).toMatchObject({ checked: row.isPublic, marked: !row.isPublic });
    await screenshot(page, 'share-links-form');

    // Our own check first: no label, no request.
    await page.locator('[data-action="create-link"]').click();
    await page.locator('[data-error-for="label"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-error-for="label"]').textContent()).toBe(zh['shareLinks.errLabel']);
    await page.locator('[data-field="label"]').fill(LABEL);

    // A non-public camera ticked anyway: the server refuses it, and the form says so at that camera.
    const privateId = PRIVATE_IDS[0];
    const privateBox = page.locator(`[data-testid="share-cameras"] li[data-camera-id="${privateId}"] input`);
    await privateBox.check();
    await page.locator('[data-action="create-link"]').click();
    const cameraError = page.locator('[data-error-for="cameraIds"]');
    await cameraError.waitFor({ state: 'visible' });
    expect(await cameraError.textContent()).toContain(`camera ${privateId} is not a public-area camera of ${COMPOUND_NAME}`);
    expect(await page.locator(`[data-testid="share-cameras"] li.refused`).getAttribute('data-camera-id')).toBe(String(privateId));
    await privateBox.uncheck();
    await poll(() => cameraError.count()).toBe(0);

    // The default cameras, 7 days (the preset ticked by default).
    expect(await page.locator('[data-field="expiry"][value="7d"]').isChecked()).toBe(true);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/share-links') && r.request().method() === 'POST');
    await page.locator('[data-action="create-link"]').click();
    const response = await answer;
    expect(response.status()).toBe(201);
    expect(JSON.parse(response.request().postData() ?? '{}')).toEqual({ orgUnitId: COMPOUND_ID, label: LABEL, expiresInHours: 168 });

    const card = page.locator('[data-testid="share-created"]');
    await card.waitFor({ state: 'visible' });
    linkId = Number(await card.getAttribute('data-link-id'));
    const url = await page.locator('[data-testid="share-url"]').inputValue();
    expect(url.startsWith(`${server.baseURL}/r/`)).toBe(true);
    linkPath = new URL(url).pathname;
    expect(await card.locator('.share-once').textContent()).toBe(zh['shareLinks.onlyOnce']);

    // The QR code is an image (not markup in the page) that decodes to a real size.
    const qr = card.locator('img[data-testid="share-qr"]');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    const natural = await qr.evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      return { width: img.naturalWidth, height: img.naturalHeight };
    });
    expect(natural.width).toBeGreaterThan(0);
    expect(natural.height).toBeGreaterThan(0);
    expect(await card.locator('svg').count()).toBe(0);

    // Copy puts the URL on the clipboard.
    await card.locator('[data-action="copy-url"]').click();
    await poll(() => card.textContent()).toContain(zh['shareLinks.copied']);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);

    // The print card: compound, label, expiry, QR and the public-areas notice; in print only the card shows.
    const printCard = card.locator('[data-testid="share-print-card"]');
    expect(await printCard.locator('.share-print-unit').textContent()).toBe(COMPOUND_NAME);
    expect(await printCard.locator('.share-print-label').textContent()).toBe(LABEL);
    expect(await printCard.locator('.share-print-expiry').textContent()).toContain('有效期至');
    expect(await printCard.locator('.share-print-note').textContent()).toBe('仅限本小区公共区域画面');
    await screenshot(page, 'share-links-created');
    await page.emulateMedia({ media: 'print' });
    const visibility = (selector: string) => page.locator(selector).first().evaluate((el) => getComputedStyle(el).visibility);
    expect(await visibility('[data-testid="share-qr"]')).toBe('visible');
    expect(await visibility('.share-print-note')).toBe('visible');
    expect(await visibility('[data-testid="share-url"]')).toBe('hidden');
    expect(await visibility('[data-testid="share-list"]')).toBe('hidden');
    expect(await visibility('[data-testid="user-name"]')).toBe('hidden');
    await screenshot(page, 'share-links-print');
    await page.emulateMedia({ media: 'screen' });
    // What 打印 sends to the printer: one A4 sheet.
    const pdf = (await page.pdf({ format: 'A4', printBackground: true, path: join(ARTIFACTS_DIR, 'share-links-print.pdf') })).toString('latin1');
    expect(pdf.match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);

    // The new link heads the list: active, with the compound's public camera count.
    const row = page.locator(`[data-testid="share-list"] tr[data-link-id="${linkId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('active');
    expect(await row.locator('[data-testid="share-row-cameras"]').textContent()).toBe(String(PUBLIC_IDS.length));
    expect(await row.locator('[data-testid="share-row-unit"]').textContent()).toBe(COMPOUND_NAME);
    expect(await row.textContent()).toContain(LABEL);
  });

  it('the URL opens the resident page on a phone, listing the compound\'s public-area cameras', async () => {
    await phonePage.goto(linkPath);
    await poll(() => phonePage.locator('[data-testid="resident-page"]').getAttribute('data-state')).toBe('ready');
    expect(await phonePage.locator('.resident-label').textContent()).toBe(LABEL);
    const ids = await phonePage.locator('[data-testid="resident-camera"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-camera-id'))));
    expect(ids.length).toBe(PUBLIC_IDS.length);
    expect([...ids].sort((a, b) => a - b)).toEqual(PUBLIC_IDS);
    await screenshot(phonePage, 'share-links-resident');
  });

  it('the officer revokes it from the list; the phone\'s reload says the link is no longer valid', async () => {
    const row = page.locator(`[data-testid="share-list"] tr[data-link-id="${linkId}"]`);
    await row.locator('[data-action="revoke"]').click();
    // Nothing happens before the confirmation.
    await row.locator('[data-action="cancel-revoke"]').click();
    expect(await row.getAttribute('data-status')).toBe('active');
    await row.locator('[data-action="revoke"]').click();
    const answer = page.waitForResponse((r) => r.url().endsWith(`/api/share-links/${linkId}/revoke`));
    await row.locator('[data-action="confirm-revoke"]').click();
    expect((await answer).status()).toBe(200);
    // The "active" filter drops it at once; "all" shows it revoked.
    await poll(() => row.count()).toBe(0);
    await page.locator('[data-testid="share-filter"] [data-filter="all"]').click();
    await poll(() => row.getAttribute('data-status')).toBe('revoked');
    expect(await row.locator('[data-action="revoke"]').count()).toBe(0);
    // The phone that opened it counts as one device.
    expect(await row.locator('[data-testid="share-row-devices"]').textContent()).toBe('1');
    // The card of the link just made says it is revoked and no longer offers to print it.
    await page.locator('[data-testid="share-created-revoked"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-action="print-qr"]').isDisabled()).toBe(true);
    await screenshot(page, 'share-links-revoked');

    await phonePage.reload();
    await phonePage.locator('[data-testid="resident-invalid"]').waitFor({ state: 'visible' });
    expect(await phonePage.locator('[data-testid="resident-invalid"] h1').textContent()).toBe(zh['resident.invalidTitle']);
    expect(await phonePage.locator('[data-testid="resident-camera"]').count()).toBe(0);
  });

  it('a second link with two cameras, a custom expiry, a daily window and a device limit: the body and the list row', async () => {
    await page.locator('[data-action="new-link"]').click();
    const form = page.locator('[data-testid="share-form"]');
    await form.waitFor({ state: 'visible' });
    // The tree kept its expanded branches: the compound is one click away.
    await page.locator(`[data-testid="share-unit-tree"] [data-unit-id="${COMPOUND_ID}"]`).click();
    const count = page.locator('[data-testid="share-camera-count"]');
    await poll(() => count.getAttribute('data-selected')).toBe(String(PUBLIC_IDS.length));
    await page.locator('[data-action="select-none"]').click();
    const chosen = PUBLIC_IDS.slice(0, 2);
    for (const id of chosen) await page.locator(`[data-testid="share-cameras"] li[data-camera-id="${id}"] input`).check();
    expect(await count.getAttribute('data-selected')).toBe('2');

    // Two days ahead in the browser's own time zone (Asia/Shanghai), to the minute.
    const custom = await page.evaluate(() => {
      const d = new Date(Date.now() + 48 * 3600_000);
      const pad = (n: number) => String(n).padStart(2, '0');
      return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
    });
    await page.locator('[data-field="expiry"][value="custom"]').check();
    await page.locator('[data-field="custom-expiry"]').fill(custom);
    // A one-hour window that does not hold the current China time: the new link is outside it.
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Shanghai', hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    const window = hour < 12 ? { start: '20:00', end: '21:00' } : { start: '02:00', end: '03:00' };
    await page.locator('[data-field="window-start"]').fill(window.start);
    // Half a window is refused before any request.
    await page.locator('[data-action="create-link"]').click();
    await page.locator('[data-error-for="dailyWindow"]').waitFor({ state: 'visible' });
    expect(await page.locator('[data-error-for="dailyWindow"]').textContent()).toBe(zh['shareLinks.errWindowBoth']);
    await page.locator('[data-field="window-end"]').fill(window.end);
    await page.locator('[data-field="max-devices"]').fill('5');
    await page.locator('[data-field="label"]').fill(`${LABEL}（夜间）`);

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/share-links') && r.request().method() === 'POST');
    await page.locator('[data-action="create-link"]').click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const body = JSON.parse(response.request().postData() ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({ orgUnitId: COMPOUND_ID, label: `${LABEL}（夜间）`, dailyWindow: window, maxDevices: 5 });
    // In the list's order (by name), whatever order they were ticked in.
    expect([...(body.cameraIds as number[])].sort((a, b) => a - b)).toEqual(chosen);
    // Minutes are dropped from the custom time, and a few seconds pass before the click: within a tenth of an hour.
    expect(Math.abs((body.expiresInHours as number) - 48)).toBeLessThan(0.1);

    const card = page.locator('[data-testid="share-created"]');
    await card.waitFor({ state: 'visible' });
    const secondId = Number(await card.getAttribute('data-link-id'));
    expect(secondId).not.toBe(linkId);
    const row = page.locator(`[data-testid="share-list"] tr[data-link-id="${secondId}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('outside-window');
    expect(await row.locator('[data-testid="share-row-cameras"]').textContent()).toBe('2');
    expect(await row.locator('[data-testid="share-row-devices"]').textContent()).toBe('0 / 5');
    expect(await row.textContent()).toContain(`${window.start}–${window.end}`);
    expect(await row.locator('.share-status').textContent()).toBe(zh['shareLinks.status.outside-window']);
    // Outside its window is still a live link: the "active" filter keeps it, with its 撤销 button.
    await page.locator('[data-testid="share-filter"] [data-filter="active"]').click();
    await poll(() => row.count()).toBe(1);
    expect(await row.locator('[data-action="revoke"]').count()).toBe(1);
  });

  it('the officer of another township (chengguan) does not see dongcheng\'s link', async () => {
    const other = await newContext(browser, server.baseURL);
    try {
      const otherPage = await other.newPage();
      await loginThroughForm(otherPage, 'chengguan', 'town123');
      await openShareView(otherPage);
      await otherPage.locator('[data-testid="share-filter"] [data-filter="all"]').click();
      const list = otherPage.locator('[data-testid="share-list"]');
      expect(await list.getAttribute('data-count')).toBe('0');
      expect(await list.locator(`tr[data-link-id="${linkId}"]`).count()).toBe(0);
      expect(await list.textContent()).not.toContain(LABEL);
      // Nor through the API behind it, and the compound is not in its unit tree.
      const links = (await (await other.request.get('/api/share-links')).json()) as ShareLink[];
      expect(links.map((l) => l.id)).not.toContain(linkId);
      expect(await otherPage.locator(`[data-testid="share-unit-tree"] [data-unit-id="${COMPOUND_ID}"]`).count()).toBe(0);
    } finally {
      await other.close();
    }
  });
});
