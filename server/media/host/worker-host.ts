// One relay worker thread, started on first use and started again after it dies. The owner (RelayManager) learns
// of a death through 'crash' with the cameras that were on it, and decides what to restart.
import { Worker } from 'node:worker_threads';
import type { FromHost, ToHost } from './protocol';
import { RelayHost } from './relay-host';

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);

export class WorkerHost extends RelayHost {
  private worker: Worker | null = null;
  private ready: Promise<void> = Promise.resolve();
  private closing = false;

  constructor(private readonly resourceLimits?: { maxOldGenerationSizeMb?: number }) {
    super();
  }

  get threadId(): number | null { return this.worker?.threadId ?? null; }

  /** Start the thread now (it otherwise starts with its first relay); resolves when it is running. */
  async warmUp(): Promise<void> {
    this.ensure();
    await this.ready;
  }

  protected deliver(msg: ToHost): void {
    if (this.closing) return;
    // Messages posted before the worker installs its listener are queued by the port, so no handshake is needed.
    this.ensure().postMessage(msg);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    // execArgv is not inherited: the bootstrap registers tsx itself (see bootstrap.mjs), whatever the parent ran with.
    const w = new Worker(BOOTSTRAP, { execArgv: [], resourceLimits: this.resourceLimits, name: 'relay' });
    // Idle workers must not keep the process alive; the HTTP server does that for the gateway.
    w.unref();
    let onReady = () => {};
    this.ready = new Promise<void>((resolve) => { onReady = resolve; });
    w.on('message', (msg: FromHost) => {
      if (msg.type === 'ready') onReady();
      else this.emit('message', msg);
    });
    w.on('error', () => { /* followed by 'exit'; the reason stays out of logs (it could quote a camera) */ });
    w.on('exit', () => {
      onReady();
      if (this.worker !== w) return;
      this.worker = null;
      if (this.closing) return;
      const lost = [...this.cameras];
      this.cameras.clear();
      this.emit('crash', lost);
    });
    this.worker = w;
    return w;
  }

  /** End the thread now; its cameras are reported through 'crash' (used to recycle a worker, and by tests). */
  async terminate(): Promise<void> {
    await this.worker?.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    const w = this.worker;
    this.worker = null;
    this.cameras.clear();
    await w?.terminate();
  }
}
