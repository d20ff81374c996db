// Periodic camera health checks at county scale. Every camera once per cycle, start times evenly spaced over the
// cycle minus one timeout (so the last check has finished when the period ends), at most `concurrency` sockets in
// flight, results written in batches.
//
// Why this shape: a silent camera (accepts, never answers) holds its socket for the whole timeout, so the sockets a
// cycle needs are rate × timeout: 100,000 cameras over 10 minutes is 167 starts a second, and with 10 % silent at
// 3 s that is ~50 sockets on average (~100 at a bad moment). A cap of 16 made that cycle take 33 minutes. The cap is
// now a socket budget (default 512), far above the need, that only bites when most of a county goes dark at once —
// then the pace drops rather than the pile growing. The probe itself is one TCP connect and one OPTIONS (or one
// ONVIF POST on a fresh connection), a few hundred microseconds of the event loop. One transaction per result
// (~167 a second) would be most of the cost, so results are gathered and written every second (or every
// `flushSize`) in one transaction; only changes become events (see CameraService.recordStatuses).
//
// Framework-free: the plugin gives it the camera list, the check and where results go.
import type { CameraStatus } from '../../contracts/api';
import { onvifAlive, InterrogationError } from '../onvif/interrogate';
import { rtspAlive, RtspProbeError } from '../rtsp-probe';

export interface HealthTarget {
  id: number;
  sourceKind: 'onvif' | 'rtsp';
  endpoint: string;
  streamUrl: string | null;
  username: string | null;
  password: string | null;
}

export interface CheckOutcome {
  status: Exclude<CameraStatus, 'unknown'>;
  reason: string | null;
  method: 'rtsp-options' | 'onvif-time';
}

export interface CheckResult {
  target: HealthTarget;
  outcome: CheckOutcome;
  ms: number;
}

export interface CycleSummary {
  startedAt: string;
  cameras: number;
  online: number;
  offline: number;
  /** From the first start to the last batch written. */
  seconds: number;
  /** The most sockets in flight at once. */
  peakInFlight: number;
  /** Writes of result batches. */
  batches: number;
}

export interface CheckerOptions {
  cycleMs: number;
  /** The socket budget: at most this many checks in flight. */
  concurrency: number;
  timeoutMs: number;
  /** Cameras with id > afterId, ascending, at most `limit`. */
  page(afterId: number, limit: number): Promise<HealthTarget[]>;
  count(): Promise<number>;
  /** A batch of results, in one transaction. Batches are written one at a time. */
  onResults(results: CheckResult[]): Promise<void>;
  /** Replaceable for tests and the bench. */
  check?: (target: HealthTarget, timeoutMs: number) => Promise<CheckOutcome>;
  onError?: (err: unknown) => void;
  /** Results are written at least this often (default 1000 ms)… */
  flushMs?: number;
  /** …or as soon as this many wait (default 250): a batch is one transaction, and other writers wait for it. */
  flushSize?: number;
}

/** ONVIF devices answer GetSystemDateAndTime without credentials; RTSP-only cameras get an OPTIONS. */
export async function checkCamera(t: HealthTarget, timeoutMs: number): Promise<CheckOutcome> {
  const method = t.sourceKind === 'onvif' ? 'onvif-time' : 'rtsp-options';
  try {
    if (t.sourceKind === 'onvif') await onvifAlive(t.endpoint, timeoutMs);
    else await rtspAlive(t.streamUrl ?? t.endpoint, t.username ? { username: t.username, password: t.password ?? '' } : undefined, timeoutMs);
    return { status: 'online', reason: null, method };
  } catch (err) {
    if (err instanceof RtspProbeError || err instanceof InterrogationError) return { status: 'offline', reason: err.kind, method };
    return { status: 'offline', reason: 'error', method };
  }
}

// Pages are small: each is read with its credentials decrypted in one go on the event loop.
const PAGE = 250;

export class HealthChecker {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private inFlight = 0;
  private slotWaiters: Array<() => void> = [];
  private pending: CheckResult[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private flushTimer: NodeJS.Timeout | undefined;
  private batches = 0;
  checked = 0;
  lastCycleSec: number | null = null;
  lastCycle: CycleSummary | null = null;

  constructor(private readonly o: CheckerOptions) {}

  /** Starts the periodic cycles; may be called again after stop() (a cluster node that leads the checks again). */
  start(): void {
    this.stopped = false;
    this.loop ??= this.run().catch((err) => this.o.onError?.(err)).finally(() => {
      this.loop = undefined;
      // Started again while the last cycle was winding down: go on.
      if (!this.stopped) this.start();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** One full pass now, with the same pacing; for tests, the bench and the "check now" route. */
  async cycle(): Promise<CycleSummary> {
    const started = Date.now();
    const total = await this.o.count();
    // The last start is one timeout (and one flush) before the period ends, so the cycle fits in its period.
    const flushMs = this.o.flushMs ?? 1000;
    const window = Math.max(0, this.o.cycleMs - this.o.timeoutMs - flushMs);
    const spacing = total > 0 ? window / total : 0;
    const summary: CycleSummary = { startedAt: new Date(started).toISOString(), cameras: 0, online: 0, offline: 0, seconds: 0, peakInFlight: 0, batches: 0 };
    const batchesBefore = this.batches;
    const running = new Set<Promise<void>>();
    let index = 0;
    let after = 0;
    let next = this.o.page(after, PAGE);
    while (!this.stopped) {
      const targets = await next;
      if (targets.length === 0) break;
      after = targets[targets.length - 1].id;
      next = this.o.page(after, PAGE); // read ahead while this page is being checked
      for (const target of targets) {
        if (this.stopped) break;
        await this.sleepUntil(started + index++ * spacing);
        // Behind schedule the awaits above resolve at once; yield now and then so a catch-up burst of starts
        // never holds the event loop (live relays share it).
        if (index % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.inFlight >= this.o.concurrency) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
        this.inFlight++;
        summary.peakInFlight = Math.max(summary.peakInFlight, this.inFlight);
        const p: Promise<void> = this.checkOne(target, summary).finally(() => running.delete(p));
        running.add(p);
      }
    }
    await next.catch(() => undefined);
    await Promise.all(running);
    await this.flush();
    summary.seconds = (Date.now() - started) / 1000;
    summary.batches = this.batches - batchesBefore;
    this.lastCycleSec = summary.seconds;
    this.lastCycle = summary;
    return summary;
  }

  private async checkOne(target: HealthTarget, summary: CycleSummary): Promise<void> {
    const t0 = performance.now();
    try {
      const outcome = await (this.o.check ?? checkCamera)(target, this.o.timeoutMs);
      this.checked++;
      summary.cameras++;
      summary[outcome.status]++;
      this.pending.push({ target, outcome, ms: performance.now() - t0 });
      if (this.pending.length >= (this.o.flushSize ?? 250)) void this.flush();
      else this.flushTimer ??= setTimeout(() => void this.flush(), this.o.flushMs ?? 1000);
    } catch (err) {
      this.o.onError?.(err);
    } finally {
      this.inFlight--;
      this.slotWaiters.shift()?.();
    }
  }

  /** Writes what is pending, after any write already under way (batches never overlap). */
  private flush(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.flushing = this.flushing.then(async () => {
      if (this.pending.length === 0) return;
      const batch = this.pending;
      this.pending = [];
      this.batches++;
      try {
        await this.o.onResults(batch);
      } catch (err) {
        this.o.onError?.(err);
      }
    });
    return this.flushing;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      const started = Date.now();
      await this.cycle();
      await this.sleepUntil(started + this.o.cycleMs);
    }
  }

  private sleepUntil(at: number): Promise<void> {
    const wait = at - Date.now();
    if (wait <= 0 || this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, wait);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
