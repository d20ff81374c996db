// 设备管理 in Debian's Chromium (issue #5's UI): an admin filters the camera list by network and status and gets
// exactly the API's rows; imports a small CSV whose one bad row shows in the dry run's errors table, commits, and
// finds the new cameras in the list; runs a discovery job over simulated cameras to completion (progress bar, a
// failure with its reason), adds what answered, sees re-discovery (with a credential profile) mark them present; probes an RTSP URL and adds
// it; a township officer sees only its own area.
//
// Simulator indexes reserved for this file: 3800–3849 (at 127.77.16.51–, TEST_SIMULATOR_NET). Used: 3800–3803
// (ONVIF discovery; 3803 has another password and fails with not-authorized). No demo camera is started: the list
// needs only catalogue rows, their statuses are set through the app.
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CameraPage } from '../../server/contracts/api';
import { planCamera, simHost, startCamera, type SimCamera } from '../../scripts/simulator/index';
import { zh } from '../../web/src/i18n/zh';
import { DEMO, login, TEST_SIMULATOR_NET, type Login } from '../helpers/app';
import {
  closeAll, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, type E2EServer,
} from '../helpers/browser';

if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);
const poll = <T>(fn: () => T | Promise<T>, timeout = 30_000) => expect.poll(fn, { timeout, interval: 200 });

const DISCOVERY = [3800, 3801, 3802, 3803];
const SHARED_PASSWORD = 'Devices-e2e-pass';
const IMPORT_CSV = [
  '设备编码,设备名称,所属网络,组织路径,取流地址,公共区域',
  'E2E-IMP-1,导入测试北门,雪亮,安澜县/东城街道/团结社区,rtsp://127.77.16.90:8554/stream1,是',
  'E2E-IMP-2,导入测试南门,火星网,安澜县/东城街道/团结社区,rtsp://127.77.16.91:8554/stream1,否',
  'E2E-IMP-3,导入测试西门,天网,安澜县/东城街道/团结社区,rtsp://127.77.16.92:8554/stream1,否',
].join('\n');

describe.skipIf(!hasChromium)('devices view in Chromium', { timeout: 240_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let adminCtx: BrowserContext;
  let page: Page;
  let admin: Login;
  const sims: SimCamera[] = [];

  const api = async <T>(who: Login, url: string) => (await server.t.app.inject({ url, headers: who.headers })).json<T>();
  const rowIds = (p: Page) =>
    p.locator('table[data-table="cameras"] tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-camera-id'))).sort((a, b) => a - b));
  const openDevices = async (p: Page) => {
    await p.locator('button[data-view="devices"]').click();
    await p.locator('[data-testid="devices-view"]').waitFor();
  };

  beforeAll(async () => {
    server = await startServer();
    admin = await login(server.t.app, ...DEMO.admin);
    // Statuses the list filters on: a few offline (with a reason) and online cameras over two networks.
    const { items } = await api<CameraPage>(admin, '/api/cameras?limit=500');
    const byNet = (n: string) => items.filter((c) => c.network === n);
    for (const c of byNet('xueliang').slice(0, 3)) await server.t.app.cameras.recordStatus(c.id, 'offline', 'timeout');
    for (const c of byNet('xueliang').slice(3, 7)) await server.t.app.cameras.recordStatus(c.id, 'online', null, { codec: 'h264', width: 1280, height: 720 });
    for (const c of byNet('skynet').slice(0, 2)) await server.t.app.cameras.recordStatus(c.id, 'offline', 'refused');
    // A credential profile the second discovery run names instead of typed credentials.
    const saved = await server.t.app.inject({
      method: 'PUT', url: '/api/catalogue/credentials/e2e-site', headers: admin.headers, payload: { username: 'admin', password: SHARED_PASSWORD },
    });
    expect(saved.statusCode).toBe(204);
    for (const index of DISCOVERY) {
      const spec = planCamera({ index, name: `发现-${index}`, network: 'skynet', orgUnitCode: '339901001' }, TEST_SIMULATOR_NET);
      sims.push(await startCamera({ ...spec, password: index === 3803 ? 'another-password' : SHARED_PASSWORD }));
    }
    browser = await launchBrowser();
    adminCtx = await newContext(browser, server.baseURL);
    page = await adminCtx.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close(), ...sims.map((s) => () => s.close()));
  });

  it('an admin opens 设备管理 and filters the list by network and status: exactly the API’s rows', async () => {
    await loginThroughForm(page, 'admin', 'admin123');
    await expect(page.locator('button[data-view="devices"]').textContent()).resolves.toBe(zh['nav.devices']);
    await openDevices(page);
    const all = await api<CameraPage>(admin, '/api/cameras?limit=1');
    await poll(() => page.locator('[data-testid="devices-total"]').getAttribute('data-total')).toBe(String(all.total));
    expect(await page.locator('table[data-table="cameras"] tbody tr').count()).toBe(50); // one server page

    await page.locator('[data-testid="devices-filter-network"]').selectOption('xueliang');
    await page.locator('[data-testid="devices-filter-status"]').selectOption('offline');
    const want = await api<CameraPage>(admin, '/api/cameras?network=xueliang&status=offline&limit=500');
    expect(want.total).toBe(3);
    await poll(() => rowIds(page)).toEqual(want.items.map((c) => c.id).sort((a, b) => a - b));
    const first = page.locator('table[data-table="cameras"] tbody tr').first();
    expect(await first.getAttribute('data-status')).toBe('offline');
    expect(await first.textContent()).toContain(zh['reason.timeout']);
    await poll(() => first.locator('[data-field="org-path"]').textContent()).toMatch(/^安澜县\//);

    await page.locator('[data-testid="devices-filter-status"]').selectOption('online');
    const online = await api<CameraPage>(admin, '/api/cameras?network=xueliang&status=online&limit=500');
    await poll(() => rowIds(page)).toEqual(online.items.map((c) => c.id).sort((a, b) => a - b));
    expect(await page.locator('table[data-table="cameras"] tbody tr').first().textContent()).toContain('H.264 · 1280×720');
    // The online rate per network comes from the health API.
    await poll(() => page.locator('table[data-table="rates-network"] tr[data-key="xueliang"]').textContent()).toContain('57.1%');
    // A status change arrives over socket.io and updates its row in place.
    const changed = online.items[0];
    await server.t.app.cameras.recordStatus(changed.id, 'offline', 'stalled');
    const row = page.locator(`table[data-table="cameras"] tr[data-camera-id="${changed.id}"]`);
    await poll(() => row.getAttribute('data-status')).toBe('offline');
    expect(await row.textContent()).toContain(zh['reason.stalled']);
    await screenshot(page, 'devices-list');

    // The export link carries the network filter and downloads that network's catalogue as CSV.
    await page.locator('[data-testid="devices-filter-status"]').selectOption('');
    const href = await page.locator('[data-testid="devices-export"]').getAttribute('href');
    expect(href).toBe('/api/catalogue/export?network=xueliang');
    const csv = await (await adminCtx.request.get(href!)).text();
    const xueliang = await api<CameraPage>(admin, '/api/cameras?network=xueliang&limit=1');
    expect(csv.trim().split('\n')).toHaveLength(xueliang.total + 1);
    await page.locator('[data-testid="devices-filter-network"]').selectOption('');

    // The org unit filter: one township's subtree.
    await page.locator('[data-testid="devices-filter-unit"] select[data-level="0"]').selectOption({ label: '西湖镇' });
    const xihu = (await server.t.app.repos.orgUnits.subtree('/')).find((u) => u.name === '西湖镇')!;
    const inXihu = await api<CameraPage>(admin, `/api/cameras?orgUnitId=${xihu.id}&limit=1`);
    await poll(() => page.locator('[data-testid="devices-total"]').getAttribute('data-total')).toBe(String(inXihu.total));
    await poll(() => page.locator('[data-field="org-path"]').allTextContents()).toSatisfy(
      (paths: string[]) => paths.length > 0 && paths.every((p) => p.startsWith('安澜县/西湖镇')),
    );
    await page.locator('[data-testid="devices-filter-unit"] select[data-level="0"]').selectOption('');
    await poll(() => page.locator('[data-testid="devices-total"]').getAttribute('data-total')).toBe(String(all.total));
  });

  it('imports a CSV: the dry run shows the bad row, the commit adds the good ones and they appear in the list', async () => {
    await page.locator('.devices-tab[data-tab="import"]').click();
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: 'cams.csv', mimeType: 'text/csv', buffer: Buffer.from(IMPORT_CSV) });
    await page.locator('[data-testid="import-dry-run"]').click();
    const summary = page.locator('[data-testid="import-summary"]');
    await poll(() => summary.locator('[data-stat="added"] b').textContent()).toBe('2');
    expect(await summary.locator('[data-stat="rejected"] b').textContent()).toBe('1');
    const bad = page.locator('table[data-table="import-errors"] tbody tr');
    expect(await bad.count()).toBe(1);
    expect(await bad.getAttribute('data-row')).toBe('2');
    expect(await bad.getAttribute('data-field')).toBe('network');
    expect((await api<CameraPage>(admin, '/api/cameras?q=导入测试')).total).toBe(0); // a dry run writes nothing
    await screenshot(page, 'devices-import');

    await page.locator('[data-testid="import-commit"]').click();
    await page.locator('[data-testid="import-done"]').waitFor();
    expect(await summary.locator('[data-stat="added"] b').textContent()).toBe('2');

    await page.locator('.devices-tab[data-tab="cameras"]').click();
    await page.locator('[data-testid="devices-filter-q"]').fill('导入测试');
    const rows = page.locator('table[data-table="cameras"] tbody tr');
    await poll(() => rows.count()).toBe(2);
    const texts = (await rows.allTextContents()).join('|');
    expect(texts).toContain('导入测试北门');
    expect(texts).toContain('导入测试西门');
    await poll(() => rows.locator('[data-field="org-path"]').allTextContents()).toEqual(['安澜县/东城街道/团结社区', '安澜县/东城街道/团结社区']);
    await page.locator('[data-testid="devices-filter-q"]').fill('');

    // With "create missing org units", a new community comes with its camera and shows in the unit filter.
    await page.locator('.devices-tab[data-tab="import"]').click();
    const withUnit = ['设备编码,设备名称,所属网络,组织路径,取流地址', 'E2E-IMP-4,新社区大门,雪亮,安澜县/东城街道/测试新社区,rtsp://127.77.16.93:8554/stream1'].join('\n');
    await page.locator('[data-testid="import-file"]').setInputFiles({ name: 'unit.csv', mimeType: 'text/csv', buffer: Buffer.from(withUnit) });
    await page.locator('[data-testid="import-create-units"]').check();
    await page.locator('[data-testid="import-dry-run"]').click();
    await poll(() => summary.locator('[data-stat="orgUnitsCreated"] b').textContent()).toBe('1');
    expect(await page.locator('[data-testid="import-units"]').textContent()).toContain('安澜县/东城街道/测试新社区');
    await page.locator('[data-testid="import-commit"]').click();
    await page.locator('[data-testid="import-done"]').waitFor();
    await page.locator('.devices-tab[data-tab="cameras"]').click();
    await page.locator('[data-testid="devices-filter-unit"] select[data-level="0"]').selectOption({ label: '东城街道' });
    const level1 = page.locator('[data-testid="devices-filter-unit"] select[data-level="1"]');
    await poll(() => level1.locator('option').allTextContents()).toContain('测试新社区');
    await level1.selectOption({ label: '测试新社区' });
    await poll(() => page.locator('table[data-table="cameras"] tbody tr').allTextContents()).toEqual([expect.stringContaining('新社区大门')]);
    await page.locator('[data-testid="devices-filter-unit"] select[data-level="0"]').selectOption('');
  });

  it('runs a discovery job to completion with a reason per failure, adds what answered, and re-discovery marks them present', async () => {
    await page.locator('.devices-tab[data-tab="discovery"]').click();
    const last = simHost(3803, TEST_SIMULATOR_NET).split('.').pop();
    await page.locator('[data-testid="disc-targets"]').fill(`${simHost(3800, TEST_SIMULATOR_NET)}-${last}`);
    await page.locator('[data-testid="disc-username"]').fill('admin');
    await page.locator('[data-testid="disc-password"]').fill(SHARED_PASSWORD);
    // The job's REST detail is held back until the end: progress and rows can only come from the socket events.
    const held: Route[] = [];
    const detail = /\/api\/discovery\/jobs\/\d+$/;
    let holding = true;
    await page.route(detail, (route) => (holding ? void held.push(route) : route.continue()));
    await page.locator('[data-testid="disc-start"]').click();
    const progress = page.locator('[data-testid="disc-progress"]');
    await poll(() => progress.getAttribute('data-state'), 60_000).toBe('done');
    expect(await progress.getAttribute('data-probed')).toBe('4');
    expect(await progress.getAttribute('data-total')).toBe('4');
    expect(await progress.locator('progress').getAttribute('value')).toBe('100');
    const rows = page.locator('table[data-table="discovery"] tbody tr');
    await poll(() => rows.count()).toBe(4);
    expect(held.length).toBeGreaterThan(0); // the detail was asked for, and is still unanswered
    holding = false;
    for (const route of held) await route.continue();
    await page.unroute(detail);
    const failed = page.locator(`table[data-table="discovery"] tr[data-address="${simHost(3803, TEST_SIMULATOR_NET)}"]`);
    expect(await failed.getAttribute('data-state')).toBe('failed');
    expect(await failed.locator('[data-field="result"]').textContent()).toContain(zh['devices.failure.not-authorized']);
    // A 720p simulated camera's second ONVIF profile (640x360) is shown as its sub-stream (子码流).
    const hd = page.locator(`table[data-table="discovery"] tr[data-address="${simHost(3800, TEST_SIMULATOR_NET)}"] [data-field="sub-stream"]`);
    expect(await hd.textContent()).toContain(`${zh['devices.subStream']} `);
    expect(await hd.textContent()).toContain('640×360');
    await screenshot(page, 'devices-discovery');

    // Review: rename one, select all that answered.
    await page.locator(`table[data-table="discovery"] tr[data-address="${simHost(3800, TEST_SIMULATOR_NET)}"] input[data-field="name"]`).fill('东城北门球机');
    await page.locator('[data-testid="disc-select-all"]').check();
    await page.locator('[data-testid="disc-network"]').selectOption('huiyan');
    await page.locator('[data-testid="disc-unit"] select[data-level="0"]').selectOption({ label: '东城街道' });
    await page.locator('[data-testid="disc-add"]').click();
    await poll(() => page.locator('[data-testid="disc-add-message"]').textContent()).toBe(zh['devices.discAdded'].replace('{added}', '3').replace('{updated}', '0'));
    await poll(() => page.locator('table[data-table="discovery"] tr[data-state="added"]').count()).toBe(3);
    const added = await api<CameraPage>(admin, '/api/cameras?network=huiyan&q=sim-038&limit=10');
    expect(added.items.map((c) => c.name).sort()).toEqual(['东城北门球机', '发现-3801', '发现-3802']);
    expect(added.items.every((c) => c.hasSubStream)).toBe(true);

    // Again over the first device, with the credential profile: it is recognised as the camera just added.
    await page.locator('[data-testid="disc-targets"]').fill(simHost(3800, TEST_SIMULATOR_NET));
    await page.locator('[data-testid="disc-profile"]').selectOption('e2e-site');
    expect(await page.locator('[data-testid="disc-password"]').isDisabled()).toBe(true);
    await page.locator('[data-testid="disc-start"]').click();
    await poll(() => page.locator('[data-testid="disc-job"]').getAttribute('data-job-id')).not.toBe(null);
    await poll(() => progress.getAttribute('data-total'), 60_000).toBe('1');
    await poll(() => progress.getAttribute('data-state'), 60_000).toBe('done');
    const again = page.locator('table[data-table="discovery"] tbody tr');
    await poll(() => again.count()).toBe(1);
    expect(await again.getAttribute('data-state')).toBe('found'); // the profile's password was used
    expect(await again.locator('[data-present="true"]').count()).toBe(1);
    expect(added.items.map((c) => String(c.id))).toContain(await again.getAttribute('data-camera-id'));
  });

  it('probes an RTSP URL (codec, resolution) and adds the camera; the password is never shown back', async () => {
    await page.locator('.devices-tab[data-tab="rtsp"]').click();
    const sim = sims[0];
    await page.locator('[data-testid="rtsp-url"]').fill(sim.rtspUrl.replace('rtsp://', `rtsp://admin:${SHARED_PASSWORD}@`));
    // Credentials typed into the URL move to their fields.
    expect(await page.locator('[data-testid="rtsp-url"]').inputValue()).toBe(sim.rtspUrl);
    expect(await page.locator('[data-testid="rtsp-username"]').inputValue()).toBe('admin');
    await page.locator('[data-testid="rtsp-probe"]').click();
    const result = page.locator('[data-testid="rtsp-result"]');
    await poll(() => result.getAttribute('data-ok')).toBe('true');
    expect(await result.locator('[data-field="video"]').textContent()).toContain('H.264 · 1280×720');
    await screenshot(page, 'devices-rtsp');
    await page.locator('[data-testid="rtsp-name"]').fill('RTSP测试摄像机');
    await page.locator('[data-testid="rtsp-sub-url"]').fill(sim.subStreamUrl);
    await page.locator('[data-testid="rtsp-network"]').selectOption('traffic');
    await page.locator('[data-testid="rtsp-add"]').click();
    const done = page.locator('[data-testid="rtsp-added"]');
    await done.waitFor();
    const id = Number(await done.getAttribute('data-camera-id'));
    expect((await api<{ name: string; network: string; hasCredentials: boolean; hasSubStream: boolean }>(admin, `/api/cameras/${id}`))).toMatchObject({
      name: 'RTSP测试摄像机', network: 'traffic', hasCredentials: true, hasSubStream: true,
    });
    expect(await page.locator('[data-testid="rtsp-password"]').inputValue()).toBe('');
    expect(await page.locator('.devices-rtsp').innerHTML()).not.toContain(SHARED_PASSWORD);

    // A wrong password: the probe says why.
    await page.locator('[data-testid="rtsp-password"]').fill('wrong');
    await page.locator('[data-testid="rtsp-probe"]').click();
    await poll(() => result.getAttribute('data-error')).toBe('unauthorized');
    expect(await result.textContent()).toContain(zh['devices.probeFailure.unauthorized']);
  });

  it('a township officer sees only its own area’s cameras', async () => {
    const ctx = await newContext(browser, server.baseURL);
    try {
      const town = await ctx.newPage();
      await loginThroughForm(town, 'dongcheng', 'town123');
      await openDevices(town);
      const dongcheng = await login(server.t.app, ...DEMO.dongcheng);
      const own = await api<CameraPage>(dongcheng, '/api/cameras?limit=500');
      const everyone = await api<CameraPage>(admin, '/api/cameras?limit=1');
      expect(own.total).toBeLessThan(everyone.total);
      await poll(() => town.locator('[data-testid="devices-total"]').getAttribute('data-total')).toBe(String(own.total));
      await poll(() => town.locator('[data-field="org-path"]').allTextContents()).toSatisfy(
        (paths: string[]) => paths.length > 0 && paths.every((p) => p.startsWith('安澜县/东城街道')),
      );
      const shown = await rowIds(town);
      const ownIds = new Set(own.items.map((c) => c.id));
      expect(shown.every((id) => ownIds.has(id))).toBe(true);
      // The org filter starts at the officer's own unit.
      expect(await town.locator('[data-testid="devices-filter-unit"] .org-picker-root').textContent()).toBe('东城街道');
      await screenshot(town, 'devices-township');
    } finally {
      await ctx.close();
    }
  });
});
