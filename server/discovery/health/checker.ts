// Periodic camera health checks, spread out: every camera once per cycle, start times evenly spaced over the
// cycle (50,000 cameras over 10 minutes ≈ 83 checks a second, never all at once) and at most `concurrency` in
// flight — when checks are slow the pace drops rather than the pile growing. Framework-free: the plugin gives
// it the camera list, the check and where results go.
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

export interface CheckerOptions {
  cycleMs: number;
  concurrency: number;
  timeoutMs: number;
  /** Cameras with id > afterId, ascending, at most `limit`. */
  page(afterId: number, limit: number): Promise<HealthTarget[]>;
  count(): Promise<number>;
  onResult(target: HealthTarget, outcome: CheckOutcome, ms: number): Promise<void>;
  /** Replaceable for tests. */
  check?: (target: HealthTarget, timeoutMs: number) => Promise<CheckOutcome>;
  onError?: (err: unknown) => void;
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

const PAGE = 500;

export class HealthChecker {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  checked = 0;
  lastCycleSec: number | null = null;

  constructor(private readonly o: CheckerOptions) {}

  start(): void {
    this.loop ??= this.run().catch((err) => this.o.onError?.(err));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  /** One full pass now, with the same pacing; for tests and the "check now" route. */
  async cycle(): Promise<void> {
    const started = Date.now();
    const total = await this.o.count();
    const spacing = total > 0 ? this.o.cycleMs / total : 0;
    const inFlight = new Set<Promise<void>>();
    let index = 0;
    let after = 0;
    while (!this.stopped) {
      const targets = await this.o.page(after, PAGE);
      if (targets.length === 0) break;
      after = targets[targets.length - 1].id;
      for (const target of targets) {
        if (this.stopped) break;
        await this.sleepUntil(started + index++ * spacing);
        while (inFlight.size >= this.o.concurrency) await Promise.race(inFlight);
        const p: Promise<void> = this.checkOne(target).finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
    }
    await Promise.all(inFlight);
    this.lastCycleSec = (Date.now() - started) / 1000;
  }

  private async checkOne(target: HealthTarget): Promise<void> {
    const t0 = performance.now();
    try {
      const outcome = await (this.o.check ?? checkCamera)(target, this.o.timeoutMs);
      this.checked++;
      await this.o.onResult(target, outcome, performance.now() - t0);
    } catch (err) {
      this.o.onError?.(err);
    }
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
