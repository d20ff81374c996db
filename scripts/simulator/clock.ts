// One pacing timer for every playing stream in the process: idle cameras register nothing, so with nobody
// watching there is no timer at all, and 200 cameras cost only their listening sockets.

export interface Paced {
  /** Called every tick with a monotonic time in milliseconds; sends whatever became due. */
  tick(nowMs: number): void;
}

export const TICK_MS = 10;

/** Process-wide RTP counters: tests assert that idle cameras generate nothing. */
export const rtpCounters = { packets: 0, bytes: 0 };

class Clock {
  private readonly streams = new Set<Paced>();
  private timer: NodeJS.Timeout | undefined;

  add(p: Paced): void {
    this.streams.add(p);
    if (!this.timer) {
      this.timer = setInterval(() => this.run(), TICK_MS);
      this.timer.unref(); // the servers keep the process alive, not the pacer
    }
  }

  remove(p: Paced): void {
    this.streams.delete(p);
    if (this.streams.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  get size(): number {
    return this.streams.size;
  }

  private run(): void {
    const now = performance.now();
    for (const s of this.streams) {
      try {
        s.tick(now);
      } catch (err) {
        // One broken session must not stop the others.
        this.streams.delete(s);
        console.error('[simulator] pacing error', err);
      }
    }
  }
}

export const clock = new Clock();
