// Owns every live relay: on-demand start at the first playlist request, idle stop, a concurrency cap, and one
// status event stream for the console. Framework-free so the Fastify plugin stays a thin adapter.
import { EventEmitter } from 'node:events';
import { CameraUnavailableError, RelayLimitError } from './errors';
import type { SegmentFormat } from './hls/packager';
import { Relay, type RelayOptions, type RelayStats } from './relay';
import { openRtspSession, type RtspOpener } from './rtsp/session';
import type { StreamSource, UnavailableReason } from './types';

export interface RelayManagerOptions {
  resolveSource: (cameraId: number) => Promise<StreamSource>;
  /** Stop a relay when nobody asked for its playlist for this long. */
  idleTimeoutMs?: number;
  maxRelays?: number;
  stallTimeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  segmentFormat?: SegmentFormat;
  windowSize?: number;
  minTargetDuration?: number;
  requestTimeoutMs?: number;
  audioTimeoutMs?: number;
  /** Longest a first playlist request waits for the camera before CameraUnavailableError('timeout'). */
  startTimeoutMs?: number;
  /** Replaceable RTSP layer (tests inject fakes; another client can be dropped in). */
  openRtsp?: RtspOpener;
}

export interface RelayStatusEvent {
  cameraId: number;
  status: 'online' | 'offline';
  reason: UnavailableReason | null;
}

export interface RelayManagerEvents {
  status: [RelayStatusEvent];
}

export class RelayManager extends EventEmitter<RelayManagerEvents> {
  private readonly relays = new Map<number, Relay>();
  private readonly relayOpts: RelayOptions;
  private readonly idleTimeoutMs: number;
  private readonly maxRelays: number;
  private readonly startTimeoutMs: number;
  private readonly idleTimer: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly opts: RelayManagerOptions) {
    super();
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 30_000;
    this.maxRelays = opts.maxRelays ?? 200;
    this.startTimeoutMs = opts.startTimeoutMs ?? 15_000;
    this.relayOpts = {
      segmentFormat: opts.segmentFormat ?? 'mpegts',
      windowSize: opts.windowSize ?? 6,
      minTargetDuration: opts.minTargetDuration ?? 1,
      stallTimeoutMs: opts.stallTimeoutMs ?? 10_000,
      requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
      audioTimeoutMs: opts.audioTimeoutMs ?? 3_000,
      backoff: opts.backoff ?? { initialMs: 1_000, maxMs: 30_000 },
    };
    const sweep = Math.max(20, Math.min(1_000, this.idleTimeoutMs / 4));
    this.idleTimer = setInterval(() => this.sweepIdle(), sweep);
    this.idleTimer.unref();
  }

  /** Playlist for a camera, starting its relay if needed. `viewerKey` (e.g. session id) counts distinct viewers. */
  async playlist(cameraId: number, viewerKey?: string): Promise<string> {
    if (this.closed) throw new CameraUnavailableError(cameraId, 'closed');
    let relay = this.relays.get(cameraId);
    if (!relay) {
      if (this.relays.size >= this.maxRelays) throw new RelayLimitError(this.maxRelays);
      relay = new Relay(cameraId, this.opts.resolveSource, this.opts.openRtsp ?? openRtspSession, this.relayOpts);
      relay.on('status', (e) => this.emit('status', e));
      this.relays.set(cameraId, relay);
      relay.start();
    }
    return relay.playlist(viewerKey, this.startTimeoutMs);
  }

  /** A segment (or CMAF init) by its relative name; undefined when unknown or already out of the live window. */
  segment(cameraId: number, name: string): { body: Uint8Array; contentType: string } | undefined {
    return this.relays.get(cameraId)?.segment(name);
  }

  list(): RelayStats[] {
    const now = Date.now();
    return [...this.relays.values()].map((r) => r.stats(now));
  }

  /** Stop one relay now (camera deleted or its URL changed). */
  stop(cameraId: number): void {
    const relay = this.relays.get(cameraId);
    if (!relay) return;
    this.relays.delete(cameraId);
    relay.stop();
  }

  get size(): number { return this.relays.size; }

  private sweepIdle(): void {
    const now = Date.now();
    for (const [id, relay] of this.relays) {
      if (now - relay.lastRequestAt > this.idleTimeoutMs) this.stop(id);
    }
  }

  close(): void {
    this.closed = true;
    clearInterval(this.idleTimer);
    for (const id of [...this.relays.keys()]) this.stop(id);
  }
}
