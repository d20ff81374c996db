// A place relays run: one worker thread (WorkerHost) or the main thread itself (InProcessHost, used when a custom
// RTSP opener is injected, since functions cannot cross threads, or when workers are disabled).
import { EventEmitter } from 'node:events';
import type { RtspOpener } from '../rtsp/session';
import type { FromHost, ToHost } from './protocol';
import { RelayRunner } from './relay-runner';

export interface RelayHostEvents {
  message: [FromHost];
  /** The host died with these cameras on it (their relays are gone). */
  crash: [number[]];
}

export abstract class RelayHost extends EventEmitter<RelayHostEvents> {
  /** Cameras started here and not stopped. */
  readonly cameras = new Set<number>();

  send(msg: ToHost): void {
    if (msg.type === 'start') this.cameras.add(msg.cameraId);
    else if (msg.type === 'retry') {
      if (!this.cameras.has(msg.cameraId)) return;
    }
    // Nothing to stop here (e.g. the relay went down with a crashed worker): do not start a worker to say so.
    else if (!this.cameras.delete(msg.cameraId)) return;
    this.deliver(msg);
  }

  protected abstract deliver(msg: ToHost): void;
  /** Thread id for diagnostics (0 = main thread, null = no worker running yet). */
  abstract get threadId(): number | null;
  abstract close(): Promise<void>;
}

export class InProcessHost extends RelayHost {
  private readonly runner: RelayRunner;

  constructor(open?: RtspOpener) {
    super();
    this.runner = new RelayRunner((msg) => this.emit('message', msg), open);
  }

  protected deliver(msg: ToHost): void { this.runner.handle(msg); }
  get threadId(): number { return 0; }
  async close(): Promise<void> { this.runner.close(); }
}
