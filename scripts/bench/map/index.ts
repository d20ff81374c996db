// Map benchmark (电子地图, issue #20): the large county (100,074 cameras, scripts/seed.ts --large, with its
// generated ground) in the in-process console, then
//   - the cameras-in-view API over a scripted tour of views (zoom 9 → 17 over the county), p50/p95, with the
//     first request of each zoomed-out level (a whole-area clustering, before the cache holds it) reported apart;
//   - Debian's Chromium (loopback only): time from clicking 电子地图 to the first clusters drawn, and frames per
//     second by requestAnimationFrame over a scripted drag-pan and an animated zoom.
// Prints one JSON object with its goals. The machine may be shared: the CPU figures say how loaded it was.
//   npm run bench:map [-- --cameras N --runs N --keep]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import type { MapCameras, MapConfig } from '../../../server/contracts/map';
import { LARGE_PLAN } from '../../../server/demo/county';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../test/helpers/browser';
import { startBenchApp, timed } from '../lib/app';
import { percentile } from '../lib/percentile';
import { atLeast, atMost, printReport, statedAt } from '../lib/report';

const ROOT = resolve(import.meta.dirname, '../../..');
const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: String(LARGE_PLAN.cameras) },
    runs: { type: 'string', default: '10' },
    keep: { type: 'boolean', default: false },
  },
});
const cameraCount = Number(values.cameras);
const runs = Number(values.runs);
const dataDir = mkdtempSync(join(tmpdir(), 'cvc-bench-map-'));
const log = (msg: string) => process.stderr.write(`[bench:map] ${msg}\n`);

function seed(): Promise<{ cameras: number; units: number; seconds: number }> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts', '--large', '--cameras', String(cameraCount), '--data-dir', dataDir], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => (code === 0 ? ok(JSON.parse(out.trim().split('\n').pop()!)) : fail(new Error(`seed exited with ${code}`))));
  });
}

log(`seeding ${cameraCount} cameras into ${dataDir}`);
const seeded = await seed();
const bench = await startBenchApp('map', { listen: true, overrides: { dataDir } });
let browser: Browser | undefined;
try {
  const { fastify } = bench;
  const { cookie } = await bench.signIn('county', 'county123');
  const config = (await fastify.inject({ url: '/api/map/config', headers: { cookie } })).json<MapConfig>();
  const [w, s, e, n] = config.extent!;
  const cx = (w + e) / 2;
  const cy = (s + n) / 2;

  // 1. The API over a tour of views: a 1600 × 900 px window at each zoom, at a few centres across the county.
  const viewAt = (lng: number, lat: number, zoom: number) => {
    const half = (px: number) => (px * 360) / (256 * 2 ** zoom) / 2;
    return `west=${lng - half(1600)}&south=${lat - half(900) * Math.cos((lat * Math.PI) / 180)}&east=${lng + half(1600)}&north=${lat + half(900) * Math.cos((lat * Math.PI) / 180)}&zoom=${zoom}`;
  };
  const centres = [[cx, cy], [w + (e - w) * 0.25, s + (n - s) * 0.3], [w + (e - w) * 0.7, s + (n - s) * 0.65]];
  const samples: number[] = [];
  const cold: Record<string, number> = {};
  const byZoom: Record<string, { p50: number; clusters: number; points: number; total: number }> = {};
  for (let zoom = 9; zoom <= 17; zoom++) {
    const zs: number[] = [];
    let last: MapCameras | undefined;
    for (let r = 0; r < runs; r++) {
      for (const [lng, lat] of centres) {
        const { ms, value } = await timed(() => fastify.inject({ url: `/api/map/cameras?${viewAt(lng, lat, zoom)}`, headers: { cookie } }));
        if (value.statusCode !== 200) throw new Error(`map cameras: ${value.statusCode} ${value.body.slice(0, 200)}`);
        last = value.json<MapCameras>();
        if (r === 0 && lng === centres[0][0]) cold[`z${zoom}`] = ms;
        zs.push(ms);
        samples.push(ms);
      }
    }
    byZoom[`z${zoom}`] = { p50: percentile(zs, 50), clusters: last!.clusters.length, points: last!.points.length, total: last!.total };
  }
  const apiP50 = percentile(samples, 50);
  log(`API p50 ${apiP50} ms`);

  // 2. Chromium: first clusters after navigation, then frames over a drag-pan and a zoom.
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const page: Page = await context.newPage();
  const address = fastify.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  await page.goto(`${base}/`);
  await page.locator('form.login-card input[name="username"]').fill('county');
  await page.locator('form.login-card input[name="password"]').fill('county123');
  await page.locator('form.login-card button[type="submit"]').click();
  await page.locator('[data-testid="user-name"]').waitFor({ timeout: 60_000 });
  // From the click on the nav button to the frame after the first clusters are drawn (chunk, config, units,
  // clusters request and canvas paint included).
  // A string, not a function: tsx compiles named closures with a __name helper the page does not have.
  const firstPaintMs = await page.evaluate<number>(`new Promise((done) => {
    const t0 = performance.now();
    document.querySelector('button[data-view="map"]').click();
    const check = () => {
      const el = document.querySelector('[data-testid="map-stats"]');
      if (el && Number(el.getAttribute('data-shown')) > 0) requestAnimationFrame(() => done(performance.now() - t0));
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })`);
  log(`first clusters ${firstPaintMs.toFixed(0)} ms`);
  const shownAtStart = Number(await page.locator('[data-testid="map-stats"]').getAttribute('data-total'));

  const countFrames = () => page.evaluate(`(() => {
    window.__frames = 0;
    window.__counting = true;
    const tick = () => {
      if (!window.__counting) return;
      window.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const stopFrames = () => page.evaluate(() => {
    const w = window as unknown as { __frames: number; __counting: boolean };
    w.__counting = false;
    return w.__frames;
  });
  const box = (await page.locator('[data-testid="map-canvas"]').boundingBox())!;
  const mx = box.x + box.width / 2;
  const my = box.y + box.height / 2;
  // Pan: four drags of 500 px, each as 40 mouse moves (what a hand does), refetching clusters after each.
  await countFrames();
  let t0 = performance.now();
  for (const dx of [500, -500, 500, -500]) {
    await page.mouse.move(mx, my);
    await page.mouse.down();
    await page.mouse.move(mx + dx, my + dx / 4, { steps: 40 });
    await page.mouse.up();
  }
  let frames = await stopFrames();
  const panFps = +((frames * 1000) / (performance.now() - t0)).toFixed(1);
  // Zoom: animated zoom in and out twice through the clustering levels.
  await countFrames();
  t0 = performance.now();
  for (const step of [1, 1, -1, -1]) {
    await page.evaluate((d) => new Promise<void>((done) => {
      const map = window.__cvcMap!;
      map.once('zoomend', () => done());
      if (d > 0) map.zoomIn(1);
      else map.zoomOut(1);
    }), step);
  }
  frames = await stopFrames();
  const zoomFps = +((frames * 1000) / (performance.now() - t0)).toFixed(1);
  log(`pan ${panFps} fps, zoom ${zoomFps} fps`);

  const goals = statedAt({
    mapFirstClustersMs: atMost(+firstPaintMs.toFixed(0), 1500),
    panFps: atLeast(panFps, 30),
    zoomFps: atLeast(zoomFps, 30),
    camerasInViewP50Ms: atMost(apiP50, 50),
  }, `${LARGE_PLAN.cameras + LARGE_PLAN.compoundCameras} cameras`, seeded.cameras >= LARGE_PLAN.cameras);
  printReport('map', goals, {
    county: seeded,
    api: { p50: apiP50, p95: percentile(samples, 95), max: Math.max(...samples), samples: samples.length, coldFirstRequestMs: cold, byZoom },
    browser: { firstClustersMs: +firstPaintMs.toFixed(0), camerasInScopeOnScreen: shownAtStart, panFps, zoomFps },
    machine: { loadavg1: +loadavg()[0].toFixed(2), note: 'shared machine: figures are indicative' },
  });
} finally {
  await browser?.close();
  await bench.close(values.keep);
  if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
}
