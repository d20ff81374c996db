// The wall bench's clock in the page: when each tile's video appeared and when it showed its first frame.
import type { Page } from 'playwright-core';

const ms = (x: number) => Math.round(x);

// Runs in the page before any app script: records, per tile video, when it appeared and its first frame,
// on the page's clock (performance.now(), 0 = navigation start).
export const FIRST_FRAME_PROBE = `(() => {
  const seen = new Map();
  const record = (video, key, at) => { const e = seen.get(video); if (e && e[key] === undefined) e[key] = at; };
  const scan = () => {
    for (const v of document.querySelectorAll('video[data-camera-id]')) {
      if (!seen.has(v)) {
        const e = { id: Number(v.dataset.cameraId), mountedAt: performance.now(), waits: [], stalls: [] };
        seen.set(v, e);
        if (typeof v.requestVideoFrameCallback === 'function') v.requestVideoFrameCallback((now) => record(v, 'frameAt', now));
        // Stalls: every 'waiting' event, and how long until the picture moved again ('playing' or currentTime
        // advancing, whichever comes first); the buffer ahead of the playhead at the first frame.
        let waitingSince = null;
        const resume = () => {
          if (waitingSince === null) return;
          e.stalls.push([waitingSince, performance.now()]);
          waitingSince = null;
        };
        v.addEventListener('waiting', () => {
          e.waits.push(performance.now());
          if (waitingSince === null) waitingSince = performance.now();
          const from = v.currentTime;
          const poll = () => { if (waitingSince === null) return; if (v.currentTime > from) resume(); else setTimeout(poll, 10); };
          setTimeout(poll, 10);
        });
        v.addEventListener('playing', resume);
        v.addEventListener('loadeddata', () => {
          const b = v.buffered;
          if (b.length && e.bufferAtFirstFrame === undefined) e.bufferAtFirstFrame = b.end(b.length - 1) - v.currentTime;
        });
      }
      if (v.readyState >= 2 && v.currentTime > 0) record(v, 'playingAt', performance.now());
    }
  };
  setInterval(scan, 20);
  window.__firstFrames = () => [...seen.values()];
})();`;

export interface FrameRecord {
  id: number;
  mountedAt: number;
  frameAt?: number;
  playingAt?: number;
  /** Page times of the video's 'waiting' events. */
  waits: number[];
  /** [waiting, moving again] page times. */
  stalls: Array<[number, number]>;
  /** Seconds buffered ahead of the playhead when the first frame was loaded. */
  bufferAtFirstFrame?: number;
}

export async function tilesToFirstFrame(page: Page, ids: number[], navigate: () => Promise<unknown>) {
  await navigate();
  const deadline = Date.now() + 90_000;
  let records: FrameRecord[] = [];
  for (;;) {
    records = await page.evaluate(() => (window as unknown as { __firstFrames: () => FrameRecord[] }).__firstFrames());
    const done = ids.every((id) => records.some((r) => r.id === id && (r.frameAt ?? r.playingAt) !== undefined));
    if (done) break;
    if (Date.now() > deadline) throw new Error(`tiles without a first frame after 90 s: ${JSON.stringify(records)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const perTile = ids.map((id) => {
    const r = records.find((x) => x.id === id)!;
    const first = Math.min(r.frameAt ?? Infinity, r.playingAt ?? Infinity);
    return {
      cameraId: id, mountedMs: ms(r.mountedAt), firstFrameMs: ms(first), afterMountMs: ms(first - r.mountedAt),
      source: r.frameAt !== undefined ? 'rVFC' : 'currentTime',
    };
  });
  return {
    allFourMs: Math.max(...perTile.map((t) => t.firstFrameMs)),
    slowestAfterMountMs: Math.max(...perTile.map((t) => t.afterMountMs)),
    perTile,
  };
}
