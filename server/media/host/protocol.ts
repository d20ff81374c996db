// Messages between the gateway's main thread and a relay host (a worker thread, or the in-process host that
// speaks the same language). Plain data only: they cross threads by structured clone, and segment bodies by
// transfer. The source (URL and credentials) travels once, in 'start', and is never echoed back or logged.
import type { Publish, ResumePoint } from '../hls/packager';
import type { FlvTag } from '../push/flv';
import type { RelayOptions, RelayState, RelayStats } from '../relay';
import type { RelayId, StreamSource, UnavailableReason, VideoCodec } from '../types';

// `run` numbers one start of one relay: messages of a run the manager has since stopped or replaced
// (they may still be in flight) are recognised and ignored.
export type ToHost =
  | { type: 'start'; relayId: RelayId; run: number; source: StreamSource; opts: RelayOptions; resume: ResumePoint | null }
  | { type: 'stop'; relayId: RelayId }
  /** A viewer asked for a relay that is waiting to reconnect: try now if the relay allows (Relay.retryNow). */
  | { type: 'retry'; relayId: RelayId }
  /** Pushed cameras' FLV tags (RTMP ingest on the main thread → the host running their relays), in order: one
   * message per host and turn of the main thread's event loop for all its pushed relays (per-message cost, not
   * bytes, is what forwarding costs; `npm run bench:rtmp`). */
  | { type: 'feed'; feeds: { relayId: RelayId; tags: FlvTag[] }[] }
  /** Its publisher stopped (or was refused mid-stream): the relay's session ends with `reason`. */
  | { type: 'feed-end'; relayId: RelayId; reason: UnavailableReason }
  /** Start or stop sending this relay's access units to the main thread ('video'): on only while a low-latency
   * (WebRTC) viewer exists, so relays nobody watches that way pay nothing. Kept across restarts of the relay. */
  | { type: 'tap'; relayId: RelayId; on: boolean };

/** One access unit as the relay has it (Annex-B, key pictures with their parameter sets in band). */
export interface TappedUnit {
  pts: number;
  key: boolean;
  data: Uint8Array;
}

export type FromHost =
  | { type: 'ready' }
  | { type: 'publish'; relayId: RelayId; run: number; publish: Publish }
  | { type: 'state'; relayId: RelayId; run: number; state: RelayState; reason: UnavailableReason | null; stats: RelayStats }
  | { type: 'status'; relayId: RelayId; run: number; status: 'online' | 'offline'; reason: UnavailableReason | null; stats: RelayStats }
  /** Access units of a tapped relay, as they arrive from the camera (each `data` is its own buffer, moved). */
  | { type: 'video'; relayId: RelayId; run: number; codec: VideoCodec; units: TappedUnit[] }
  | { type: 'stats'; stats: { run: number; stats: RelayStats }[] }
  /** Worker threads send what one turn of their event loop produced as one message (see relay-worker.ts). */
  | { type: 'batch'; messages: FromHost[] };

/** Where a host sends its messages; `transfer` lists ArrayBuffers to move rather than copy. */
export type HostSink = (msg: FromHost, transfer?: ArrayBuffer[]) => void;
