// Messages between the gateway's main thread and a relay host (a worker thread, or the in-process host that
// speaks the same language). Plain data only: they cross threads by structured clone, and segment bodies by
// transfer. The source (URL and credentials) travels once, in 'start', and is never echoed back or logged.
import type { Publish, ResumePoint } from '../hls/packager';
import type { RelayOptions, RelayState, RelayStats } from '../relay';
import type { StreamSource, UnavailableReason } from '../types';

// `run` numbers one start of one camera's relay: messages of a run the manager has since stopped or replaced
// (they may still be in flight) are recognised and ignored.
export type ToHost =
  | { type: 'start'; cameraId: number; run: number; source: StreamSource; opts: RelayOptions; resume: ResumePoint | null }
  | { type: 'stop'; cameraId: number }
  /** A viewer asked for a camera whose relay is waiting to reconnect: try now if the relay allows (Relay.retryNow). */
  | { type: 'retry'; cameraId: number };

export type FromHost =
  | { type: 'ready' }
  | { type: 'publish'; cameraId: number; run: number; publish: Publish }
  | { type: 'state'; cameraId: number; run: number; state: RelayState; reason: UnavailableReason | null; stats: RelayStats }
  | { type: 'status'; cameraId: number; run: number; status: 'online' | 'offline'; reason: UnavailableReason | null; stats: RelayStats }
  | { type: 'stats'; stats: { run: number; stats: RelayStats }[] }
  /** Worker threads send what one turn of their event loop produced as one message (see relay-worker.ts). */
  | { type: 'batch'; messages: FromHost[] };

/** Where a host sends its messages; `transfer` lists ArrayBuffers to move rather than copy. */
export type HostSink = (msg: FromHost, transfer?: ArrayBuffer[]) => void;
