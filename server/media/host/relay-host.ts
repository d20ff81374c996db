// A place relays run: one worker thread (WorkerHost) or the main thread itself (InProcessHost, used when a custom
// RTSP opener is injected, since functions cannot cross threads, or when workers are disabled).
import { EventEmitter } from 'node:events';
import type { RtspOpener } from '../rtsp/session';
import type { RelayId } from '../types';
import type { FromHost, ToHost } from './protocol';
import { RelayRunner } from './relay-runner';

export interface RelayHostEvents {
  message: [FromHost];
  /** The host died with these relays on it (they are gone). */
  crash: [RelayId[]];
}

export abstract class RelayHost extends EventEmitter<RelayHostEvents> {
  /** Relays started here and not stopped. */
  readonly relays = new Set<RelayId>();

  /** `transfer`: ArrayBuffers to move rather than copy (pushed cameras' tags; see push/feeder.ts). */
  send(msg: ToHost, transfer?: ArrayBuffer[]): void {
    if (msg.type === 'start') this.relays.add(msg.relayId);
    else if (msg.type === 'retry' || msg.type === 'feed-end' || msg.type === 'tap') {
      if (!this.relays.has(msg.relayId)) return;
    } else if (msg.type === 'feed') {
      const feeds = msg.feeds.filter((f) => this.relays.has(f.relayId));
      if (feeds.length === 0) return;
      this.deliver(feeds.length === msg.feeds.length ? msg : { type: 'feed', feeds }, transfer);
      return;
    }
    // Nothing to stop here (e.g. the relay went down with a crashed worker): do not start a worker to say so.
    else if (!this.relays.delete(msg.relayId)) return;
    this.deliver(msg);
  }

  protected abstract deliver(msg: ToHost, transfer?: ArrayBuffer[]): void;
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
