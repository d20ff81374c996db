// Glass-to-glass latency with the simulator's latency-probe fixture: every frame carries its number in the loop
// (0–249) as eight black/white blocks along the bottom (scripts/make-fixtures.sh); the simulated camera logs when it
// sends each frame (SimCamera.onVideoSent); the page reads the number of every frame the <video> presents
// (requestVideoFrameCallback, a canvas read) with the time it is expected on screen. Latency = shown − sent of the
// latest sending of that number before it was shown (the loop is 10 s, far longer than any latency measured here).

/** Installed in the page: window.__g2g(selector, ms) → [{ n, at }] for every frame presented during `ms`. */
export const G2G_PROBE = `
window.__g2g = (selector, ms) => new Promise((resolve, reject) => {
  const video = document.querySelector(selector);
  if (!video) return reject(new Error('no video ' + selector));
  const canvas = document.createElement('canvas'); canvas.width = 80; canvas.height = 4;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const out = [];
  const end = performance.now() + ms;
  const read = () => {
    const w = video.videoWidth, h = video.videoHeight;
    ctx.drawImage(video, 0, h * 310 / 360, w, h * 40 / 360, 0, 0, 80, 4);
    const d = ctx.getImageData(0, 0, 80, 4).data;
    let n = 0;
    for (let b = 0; b < 8; b++) {
      let s = 0;
      for (let y = 1; y < 3; y++) for (let x = b * 10 + 3; x < b * 10 + 7; x++) s += d[(y * 80 + x) * 4 + 1];
      if (s / 8 > 128) n |= 1 << b;
    }
    return n;
  };
  const tick = (now, meta) => {
    out.push({ n: read(), at: performance.timeOrigin + (meta && meta.expectedDisplayTime ? meta.expectedDisplayTime : now) });
    if (performance.now() < end) video.requestVideoFrameCallback(tick); else resolve(out);
  };
  video.requestVideoFrameCallback(tick);
});`;

export const PROBE_FRAMES = 250;

/** What the camera sent: per frame number, the times it was sent (ascending). */
export class SendLog {
  private readonly sent = new Map<number, number[]>();

  record(frame: number, atMs: number): void {
    let list = this.sent.get(frame);
    if (!list) this.sent.set(frame, (list = []));
    list.push(atMs);
    if (list.length > 64) list.shift();
  }

  /** Latencies (ms) of the frames shown; frames never sent before being shown (a misread) are dropped. */
  latencies(shown: { n: number; at: number }[]): number[] {
    const out: number[] = [];
    for (const { n, at } of shown) {
      const list = this.sent.get(n);
      if (!list) continue;
      let best: number | null = null;
      for (const s of list) if (s <= at && (best === null || s > best)) best = s;
      // Longer than half a loop means a misread number matched an older sending.
      if (best !== null && at - best < 5_000) out.push(at - best);
    }
    return out;
  }
}
