// One relay worker thread, started on first use and started again after it dies. The owner (RelayManager) learns
// of a death through 'crash' with the cameras that were on it, and decides what to restart.
import { Worker } from 'node:worker_threads';
import type { FromHost, ToHost } from './protocol';
import { RelayHost } from './relay-host';
import { workerEntry } from './worker-entry';

/** A relay thread's young generation. Under a relay's allocation rate (objects per picture per camera) V8 grows it
 * to its maximum, though what survives a scavenge is a GOP's worth of small objects. Measured at 100 cameras: the
 * worker's heap 47 MB → 23 MB, PSS 0.1–0.3 MB per stream less, CPU and first playlists unchanged within noise. */
const YOUNG_GENERATION_MB = 8;

export class WorkerHost extends RelayHost {
  private worker: Worker | null = null;
  private starting: Promise<Worker> | null = null;
  private ready: Promise<void> = Promise.resolve();
  /** Keeps messages in order behind the worker's start-up (its entry may still be being built). */
  private outbox: Promise<unknown> = Promise.resolve();
  private closing = false;

  get threadId(): number | null { return this.worker?.threadId ?? null; }

  /** Start the thread now (it otherwise starts with its first relay); resolves when it is running. */
  async warmUp(): Promise<void> {
    await this.ensure();
    await this.ready;
  }

  private queued = 0;

  protected deliver(msg: ToHost, transfer?: ArrayBuffer[]): void {
    if (this.closing) return;
    // Running with nothing queued: post at once (no promise turn per message; pushed cameras' feeds come every
    // 10 ms). Otherwise behind what is queued, so messages keep their order.
    if (this.worker && this.queued === 0) { this.post(this.worker, msg, transfer); return; }
    this.queued++;
    // Once the worker runs, messages posted before its listener exists are queued by the port.
    this.outbox = this.outbox.then(async () => {
      if (this.closing) return;
      this.post(await this.ensure(), msg, transfer);
    }).catch(() => {}).finally(() => { this.queued--; });
  }

  private post(worker: Worker, msg: ToHost, transfer?: ArrayBuffer[]): void {
    try { worker.postMessage(msg, transfer); } catch { /* a worker going down: its crash handler restarts the relays */ }
  }

  private ensure(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.starting ??= workerEntry().then((url) => {
      this.starting = null;
      return this.spawn(url);
    });
    return this.starting;
  }

  private spawn(entry: URL): Worker {
    // execArgv is not inherited: the entry is plain JavaScript (or registers tsx itself), whatever the parent ran with.
    // CONSOLE_RELAY_CPU_PROF=<dir> profiles the workers (--cpu-prof on the gateway covers its main thread only).
    const prof = process.env.CONSOLE_RELAY_CPU_PROF;
    const execArgv = prof ? ['--cpu-prof', `--cpu-prof-dir=${prof}`] : [];
    const w = new Worker(entry, { execArgv, name: 'relay', resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    // Idle workers must not keep the process alive; the HTTP server does that for the gateway.
    w.unref();
    let onReady = () => {};
    this.ready = new Promise<void>((resolve) => { onReady = resolve; });
    w.on('message', (msg: FromHost) => {
      if (msg.type === 'ready') onReady();
      else if (msg.type === 'batch') for (const m of msg.messages) this.emit('message', m);
      else this.emit('message', msg);
    });
    w.on('error', () => { /* followed by 'exit'; the error stays out of logs (it could quote a camera) */ });
    w.on('exit', () => {
      onReady();
      if (this.worker !== w) return;
      this.worker = null;
      if (this.closing) return;
      const lost = [...this.relays];
      this.relays.clear();
      this.emit('crash', lost);
    });
    this.worker = w;
    return w;
  }

  /** End the thread now; its relays are reported through 'crash' (used to recycle a worker, and by tests). */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.relays.clear();
    const w = this.worker ?? (this.starting ? await this.starting.catch(() => null) : null);
    this.worker = null;
    await w?.terminate();
  }
}
