// Playback part of bench:recording (issue #17): a day of recording of one camera, then in Debian's Chromium the wall's
// day playback — click on the timeline at random moments and time the first decoded frame there.
//   npm run bench:recording -- --only playback [--points 20]
// The day: ffmpeg encodes two minutes of 720p25 H.264 (GOP 2 s) as 2 s MPEG-TS segments once; the store's index then
// holds yesterday as 720 files of it (hard links, one file per two minutes, 43,200 segments, each file's first
// segment a discontinuity), exactly what the recorder writes. Each sample: a click far from what the player holds
// (a new half-hour playlist: "click → first frame"), then a click a few minutes on inside it ("seek"). Timed in the
// page: pointerdown → the first frame the browser presents at the new place (requestVideoFrameCallback after the
// seek or on the new player). Loopback only; the app, ffmpeg and the browser started here are closed on exit.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, loginThroughForm, newContext, openCameraFromSearch, demoCamera } from '../../../test/helpers/browser';
import { startBenchApp } from '../lib/app';
import { percentile } from '../lib/percentile';
import { atMost, type Goals } from '../lib/report';

const SEGMENT_S = 2;
const CLIP_S = 120;
const DAY_MS = 86_400_000;
const CAMERA = demoCamera(0);

/** Two minutes of 2 s segments, concatenated: the bytes and each segment's offset and size (clip.ts uses it too). */
export function encodeClip(dir: string): { bytes: Buffer; segments: { offset: number; size: number }[] } {
  execFileSync('/usr/bin/ffmpeg', [
    '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=1280x720:rate=25`, '-t', String(CLIP_S),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-g', '50', '-keyint_min', '50', '-sc_threshold', '0', '-b:v', '2M',
    '-f', 'segment', '-segment_time', String(SEGMENT_S), '-segment_format', 'mpegts', join(dir, 'seg%04d.ts'),
  ]);
  const names = readdirSync(dir).filter((n) => n.startsWith('seg')).sort();
  const parts = names.map((n) => readFileSync(join(dir, n)));
  let offset = 0;
  const segments = parts.map((p) => { const s = { offset, size: p.length }; offset += p.length; return s; });
  return { bytes: Buffer.concat(parts), segments };
}

const CLICK_PROBE = `
window.__clickProbe = () => new Promise((resolve) => {
  const grid = document.querySelector('.wall-grid');
  const track = document.querySelector('.rewind-track');
  const old = grid.querySelector('video');
  let t0 = 0;
  let done = false;
  const mo = new MutationObserver(() => {
    const v = grid.querySelector('video');
    if (v && v !== old) watch(v);
  });
  const finish = (ms) => { if (!done) { done = true; mo.disconnect(); resolve(ms); } };
  const watch = (v) => {
    const cb = () => (v.seeking || v.readyState < 2 ? v.requestVideoFrameCallback(cb) : finish(performance.now() - t0));
    v.requestVideoFrameCallback(cb);
  };
  track.addEventListener('pointerdown', () => { t0 = performance.now(); }, { once: true, capture: true });
  old.addEventListener('seeked', () => watch(old), { once: true });
  mo.observe(grid, { childList: true, subtree: true });
  setTimeout(() => finish(null), 15000);
});
`;

export interface PlaybackFigures {
  points: number;
  clickToFirstFrameMs: { p50: number; p95: number; max: number };
  seekInLoadedMs: { p50: number; p95: number; max: number };
  failures: number;
  /** Clicks after which the moment shown was over 5 s from the one clicked: how far, in seconds. */
  wrongPlaceSec: number[];
  segmentsIndexed: number;
}

export async function playbackBench(points: number): Promise<{ figures: PlaybackFigures; goals: Goals }> {
  const work = mkdtempSync(join(tmpdir(), 'bench-playback-'));
  const app = await startBenchApp('playback', { listen: true, overrides: { recording: { quotaGb: 0, minFreeGb: 0, ringSec: 0 } } });
  const browser = await launchBrowser();
  try {
    const clip = encodeClip(work);
    const dir = app.fastify.recordings.dir;
    const source = join(work, 'clip.ts');
    writeFileSync(source, clip.bytes);
    // Yesterday in the browser's zone (test/helpers/browser.ts: Asia/Shanghai, UTC+8 all year), whatever this
    // machine's zone: the day picker cuts days at the browser's midnight.
    const offsetMin = 480;
    const today = new Date(Date.now() + offsetMin * 60_000).toISOString().slice(0, 10);
    const dayStart = Date.parse(`${today}T00:00:00Z`) - offsetMin * 60_000 - DAY_MS;
    const day = new Date(dayStart + offsetMin * 60_000).toISOString().slice(0, 10);
    const repo = app.fastify.repos.recordings;
    let indexed = 0;
    for (let f = 0; f < DAY_MS / (CLIP_S * 1000); f++) {
      const startMs = dayStart + f * CLIP_S * 1000;
      const path = join(String(CAMERA.id), 'main', 'record', day, `${startMs}.ts`);
      mkdirSync(join(dir, path, '..'), { recursive: true });
      linkSync(source, join(dir, path));
      const id = await repo.insertFile({ cameraId: CAMERA.id, stream: 'main', kind: 'record', path, format: 'mpegts', startMs });
      await repo.insertSegments(clip.segments.map((s, i) => ({
        fileId: id, startMs: startMs + i * SEGMENT_S * 1000, durationMs: SEGMENT_S * 1000, offset: s.offset, size: s.size, epoch: f + 1,
        discontinuity: i === 0, dependent: false, initOffset: null, initSize: null,
      })), [{ id, endMs: startMs + clip.segments.length * SEGMENT_S * 1000, bytes: statSync(source).size, sealed: true }]);
      indexed += clip.segments.length;
    }

    const address = app.fastify.server.address() as { port: number };
    const context = await newContext(browser, `http://127.0.0.1:${address.port}`);
    const page = await context.newPage();
    await loginThroughForm(page, 'county', 'county123');
    await openCameraFromSearch(page, CAMERA);
    const tile = page.locator('.wall-grid .tile').first();
    await tile.locator('[data-action="rewind"]').click();
    const picker = tile.locator('[data-testid="rewind-day"]');
    await picker.locator(`option[value="${day}"]`).waitFor({ state: 'attached', timeout: 30_000 });
    await picker.selectOption(day);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="rewind-bar"]')?.getAttribute('data-at') ?? 0) > 0, undefined, { timeout: 30_000 });

    // Resolves with ms from the track's pointerdown to the first frame presented at the new place. A string, so
    // tsx's helpers (__name) do not end up in the page.
    await page.evaluate(CLICK_PROBE);
    const track = tile.locator('.rewind-track');
    const range = async () => ({ from: Number(await track.getAttribute('aria-valuemin')), to: Number(await track.getAttribute('aria-valuemax')) });
    const shownAt = async () => Number(await tile.locator('[data-testid="rewind-bar"]').getAttribute('data-at'));
    const clickAt = async (fraction: number): Promise<number | null> => {
      const box = (await track.boundingBox())!;
      const { from, to } = await range();
      const target = from + (to - from) * fraction;
      const probe = page.evaluate('window.__clickProbe()') as Promise<number | null>;
      await page.mouse.click(box.x + box.width * fraction, box.y + box.height / 2);
      const ms = await probe;
      // The frame must be of the moment clicked: the bar's moment (read from the fragments' dates) near it a second on.
      await page.waitForTimeout(1_000);
      const off = Math.abs((await shownAt()) - target);
      if (off > 5_000) wrongPlace.push(Math.round(off / 1000));
      return ms;
    };
    const wrongPlace: number[] = [];
    const far: number[] = [];
    const near: number[] = [];
    let failures = 0;
    let rng = 20261207;
    const random = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < points; i++) {
      const fraction = 0.02 + random() * 0.9;
      const a = await clickAt(fraction);
      if (a === null) failures++;
      else far.push(a);
      // A few minutes on: inside the half hour the player now holds.
      const b = await clickAt(fraction + (3 + random() * 20) / (24 * 60));
      if (b === null) failures++;
      else near.push(b);
    }
    const stats = (xs: number[]) => ({ p50: Math.round(percentile(xs, 50)), p95: Math.round(percentile(xs, 95)), max: Math.round(Math.max(...xs)) });
    const figures: PlaybackFigures = { points, clickToFirstFrameMs: stats(far), seekInLoadedMs: stats(near), failures, wrongPlaceSec: wrongPlace, segmentsIndexed: indexed };
    return {
      figures,
      goals: {
        playbackClickToFirstFrameP50Ms: atMost(figures.clickToFirstFrameMs.p50, 1000),
        playbackSeekInLoadedP50Ms: atMost(figures.seekInLoadedMs.p50, 500),
        playbackClicksWithoutFrame: atMost(failures, 0),
        playbackClicksAtWrongMoment: atMost(wrongPlace.length, 0),
      },
    };
  } finally {
    await browser.close().catch(() => {});
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}
