// A danger's evidence clip in Chromium (issue #17): the camera's rewind ring holds 12 s of real H.264 (made by
// ffmpeg, cut in 1 s segments and appended to one ring file, as the store writes them); the county tags a danger at
// a moment inside it and dispatches it down to the village; the village officer opens the task and the drawer plays
// the locked clip (VOD through /playback: the video advances), with its hash shown once sealed.
//
// No simulated camera: the clip is what was stored, so this file holds no camera index.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DangerDetail, TaskSummary } from '../../server/contracts/dispatch';
import { login, type Login } from '../helpers/app';
import { closeAll, demoUnit, hasChromium, launchBrowser, loginThroughForm, newContext, NO_CHROMIUM_MESSAGE, screenshot, startServer, waitFor, type E2EServer } from '../helpers/browser';

const FRAME = readFileSync(join(import.meta.dirname, '../dispatch/fixtures/frame.jpg'));
const VILLAGE = demoUnit('339901002001');
const DONGCHENG = demoUnit('339901002');
if (!hasChromium) console.warn(NO_CHROMIUM_MESSAGE);

/** 12 one-second MPEG-TS segments of a moving test picture (GOP 1 s), timestamps continuous across them. */
function segments(): Buffer[] {
  const dir = mkdtempSync(join(tmpdir(), 'cvc-clip-e2e-'));
  try {
    execFileSync('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25', '-t', '12',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '25', '-keyint_min', '25', '-sc_threshold', '0',
      '-f', 'segment', '-segment_time', '1', '-segment_format', 'mpegts', join(dir, 's%03d.ts'),
    ]);
    return readdirSync(dir).sort().map((f) => readFileSync(join(dir, f)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!hasChromium)('a danger\'s evidence clip in the drawer', { timeout: 180_000 }, () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let dangerId: number;

  beforeAll(async () => {
    server = await startServer({ dispatch: { overdueScanSec: 0 } });
    browser = await launchBrowser();
    context = await newContext(browser, server.baseURL);
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await closeAll(() => browser?.close(), () => server?.close());
  });

  it('the village officer plays the clip of a danger tagged by the county', async () => {
    const app = server.t.app;
    const village = (await app.repos.orgUnits.findByCode(VILLAGE.code))!;
    const dongcheng = (await app.repos.orgUnits.findByCode(DONGCHENG.code))!;
    const camera = (await app.db.get<{ id: number }>('SELECT id FROM cameras WHERE org_path LIKE ? ORDER BY id LIMIT 1', [`${village.path}%`]))!.id;
    expect(camera).toBeGreaterThan(0);

    // The ring as the store writes it: one file, the segments appended, one index row each.
    const segs = segments();
    const t0 = Date.now() - 120_000;
    const path = join(String(camera), 'main', 'ring', 'day', `${t0}.ts`);
    mkdirSync(join(app.recordings.dir, path, '..'), { recursive: true });
    writeFileSync(join(app.recordings.dir, path), Buffer.concat(segs));
    const fileId = await app.repos.recordings.insertFile({ cameraId: camera, stream: 'main', kind: 'ring', path, format: 'mpegts', startMs: t0 });
    let offset = 0;
    const rows = segs.map((b, i) => {
      const row = { fileId, startMs: t0 + i * 1000, durationMs: 1000, offset, size: b.byteLength, epoch: 1, discontinuity: i === 0, dependent: false, initOffset: null, initSize: null };
      offset += b.byteLength;
      return row;
    });
    await app.repos.recordings.insertSegments(rows, [{ id: fileId, endMs: t0 + segs.length * 1000, bytes: offset, sealed: true }]);

    // The county tags a moment inside it and sends it down: 东城街道 accepts and re-dispatches to the village.
    const county = await login(app, 'county', 'county123');
    const town = await login(app, 'dongcheng', 'town123');
    const call = async <T>(who: Login, url: string, payload: object): Promise<T> => {
      const res = await app.inject({ method: 'POST', url, headers: who.headers, payload });
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as T;
    };
    dangerId = (await call<{ id: number }>(county, '/api/dangers', {
      cameraId: camera, capturedAt: new Date(t0 + 6000).toISOString(), category: 'fire', severity: 'major', note: 'e2e clip', evidenceJpeg: FRAME.toString('base64'),
    })).id;
    const t1 = await call<TaskSummary>(county, `/api/dangers/${dangerId}/dispatch`, { toUnitId: dongcheng.id, note: 'e2e' });
    expect(await app.recordings.clips.finish(0)).toBe(1);
    await call(town, `/api/dispatch/tasks/${t1.id}/accept`, {});
    await call(town, `/api/dispatch/tasks/${t1.id}/redispatch`, { toUnitId: village.id, note: 'e2e' });

    // The village officer opens the task from the inbox: the drawer plays the clip.
    await loginThroughForm(page, 'village', 'village123');
    await page.locator('[data-tab="inbox"]').click();
    await page.locator(`[data-list="inbox"] .task-card[data-danger-id="${dangerId}"]`).click();
    const drawer = page.locator(`[data-testid="danger-drawer"][data-danger-id="${dangerId}"]`);
    const clip = drawer.locator('[data-testid="danger-clip"]');
    await clip.waitFor({ timeout: 30_000 });
    expect(await clip.getAttribute('data-state')).toBe('ready');
    const detail = (await (await page.request.get(`/api/dangers/${dangerId}`)).json()) as DangerDetail;
    expect(await clip.locator('.clip-hash').getAttribute('title')).toBe(detail.clip!.sha256);
    const played = await waitFor('the clip playing', () => clip.locator('video').evaluate((v: HTMLVideoElement) => ({ t: v.currentTime, w: v.videoWidth })),
      (s) => s.t > 1.5 && s.w === 320, 60_000);
    expect(played.w).toBe(320);
    await screenshot(page, 'danger-clip-village');
  });
});
