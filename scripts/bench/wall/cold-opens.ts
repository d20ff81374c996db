// Cold opens, one tile at a time (issue 18, "smooth from the first frame"): a 1-tile wall with a camera whose relay
// is not running (each open a camera of its own), page load → first decoded frame, then the first 10 s after it:
// how many times the video waited ('waiting' events, what hls.js reports as bufferStalledError) and for how long.
import type { Page } from 'playwright-core';
import { initialWall, wallReducer, type TileCamera } from '../../../web/src/components/wall/wall-state';
import type { FrameRecord } from './first-frame';

const ms = (x: number) => Math.round(x);
export const WATCH_AFTER_FIRST_FRAME_MS = 10_000;

export interface ColdOpen {
  cameraId: number;
  afterMountMs: number;
  /** 'waiting' events within WATCH_AFTER_FIRST_FRAME_MS after the first frame. */
  waits: number;
  stalledMs: number;
  bufferAtFirstFrameMs: number | null;
}

export async function coldOpen(page: Page, wallKey: string, camera: TileCamera): Promise<ColdOpen> {
  const wall = wallReducer(initialWall('1'), { type: 'place', camera });
  await page.evaluate(([key, value]) => localStorage.setItem(key, value), [wallKey, JSON.stringify(wall)] as const);
  await page.reload();
  const deadline = Date.now() + 90_000;
  const read = () => page.evaluate(() => (window as unknown as { __firstFrames: () => FrameRecord[] }).__firstFrames());
  let r: FrameRecord | undefined;
  for (;;) {
    r = (await read()).find((x) => x.id === camera.id);
    if (r && (r.frameAt ?? r.playingAt) !== undefined) break;
    if (Date.now() > deadline) throw new Error(`camera ${camera.id}: no first frame after 90 s`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
  const first = Math.min(r.frameAt ?? Infinity, r.playingAt ?? Infinity);
  // The watch window is on the page's clock: wait until the page is past it.
  await page.waitForFunction((until) => performance.now() > until, first + WATCH_AFTER_FIRST_FRAME_MS, { polling: 200, timeout: 60_000 });
  r = (await read()).find((x) => x.id === camera.id)!;
  const end = first + WATCH_AFTER_FIRST_FRAME_MS;
  const waits = r.waits.filter((t) => t > first && t <= end).length;
  let stalledMs = 0;
  for (const [a, b] of r.stalls) if (a > first && a <= end) stalledMs += Math.min(b, end) - a;
  return {
    cameraId: camera.id,
    afterMountMs: ms(first - r.mountedAt),
    waits,
    stalledMs: ms(stalledMs),
    bufferAtFirstFrameMs: r.bufferAtFirstFrame === undefined ? null : ms(r.bufferAtFirstFrame * 1000),
  };
}

export function summarize(opens: ColdOpen[]) {
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const first = sorted(opens.map((o) => o.afterMountMs));
  const rank = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? null;
  return {
    opens: opens.length,
    opensWithStalls: opens.filter((o) => o.waits > 0).length,
    stalls: opens.reduce((n, o) => n + o.waits, 0),
    stalledMs: opens.reduce((n, o) => n + o.stalledMs, 0),
    firstFrameAfterMountMsP50: rank(first, 50),
    firstFrameAfterMountMsMax: first.length ? first[first.length - 1]! : null,
    perOpen: opens,
  };
}
