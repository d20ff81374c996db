// A camera has up to two streams: the main stream, and the lighter sub-stream (子码流) that phones and the small
// tiles of a 9/16 wall play. Each stream is its own relay. RelayManager knows relays by a RelayId only; this maps a
// camera and stream to that key and back — the main stream is the camera id itself, the sub-stream the negated
// id — so everything above the media layer speaks in cameras and streams, and nothing below calls a key a camera.
import { EventEmitter } from 'node:events';
import type { BlockUntil, LatestSegment, ServedFile } from './live-window';
import type { RelayStats } from './relay';
import type { RelayManager, RelayStatusEvent, VideoTap } from './relay-manager';
import { PushFeeder } from './push/feeder';
import type { FlvTag } from './push/flv';
import type { RelayId, UnavailableReason, VideoCodec } from './types';

export type StreamKind = 'main' | 'sub';

/** One stream of one camera: what a RelayId stands for. */
export interface CameraStream {
  cameraId: number;
  stream: StreamKind;
}

/**
 * Device playback (设备回放, device-replays.ts) runs relays of its own, one per replay session, at ids from here up:
 * far above any camera id, so they never collide with a camera's live main (+id) or sub (−id) relay.
 */
export const DEVICE_RELAY_BASE = 2 ** 40;

export function isDeviceRelay(relayId: RelayId): boolean {
  return relayId >= DEVICE_RELAY_BASE;
}

export function relayIdOf(cameraId: number, stream: StreamKind): RelayId {
  return stream === 'sub' ? -cameraId : cameraId;
}

export function streamOfRelay(relayId: RelayId): CameraStream {
  return relayId < 0 ? { cameraId: -relayId, stream: 'sub' } : { cameraId: relayId, stream: 'main' };
}

export type CameraRelayStats = Omit<RelayStats, 'relayId'> & CameraStream;

export type CameraStatusEvent = Omit<RelayStatusEvent, 'relayId'> & CameraStream;

/** The same record with its relay key replaced by the camera and stream it stands for. */
function inCameraTerms<T extends { relayId: RelayId }>({ relayId, ...rest }: T): Omit<T, 'relayId'> & CameraStream {
  return { ...rest, ...streamOfRelay(relayId) };
}

/** `ended`: a camera's relay stopped here (idle, deleted, gave up) — the cluster gives its lease back. */
export class CameraRelays extends EventEmitter<{ status: [CameraStatusEvent]; ended: [RelayId] }> {
  /** Pushed cameras (RTMP ingest → the host of the camera's main-stream relay); RelayManager's onRelayStart must
   * call `relayStarted` (see plugins/media.ts). */
  readonly pushes: PushFeeder;

  constructor(readonly manager: RelayManager) {
    super();
    // A device replay's status is not the camera's live status (device-replays.ts reports its own failures).
    manager.on('status', (e) => { if (!isDeviceRelay(e.relayId)) this.emit('status', inCameraTerms(e)); });
    this.pushes = new PushFeeder(manager);
  }

  /** A pushed camera's device started publishing (its stream is the camera's main stream). */
  pushBegin(cameraId: number): void { this.pushes.begin(relayIdOf(cameraId, 'main')); }
  pushTag(cameraId: number, tag: FlvTag): void { this.pushes.tag(relayIdOf(cameraId, 'main'), tag); }
  pushEnd(cameraId: number, reason: UnavailableReason): void { this.pushes.end(relayIdOf(cameraId, 'main'), reason); }
  relayStarted(relayId: RelayId): void { this.pushes.relayStarted(relayId); }

  /** `until`: a blocking reload (LL-HLS `_HLS_msn`/`_HLS_part`), answered once the playlist holds it. */
  playlist(cameraId: number, viewerKey?: string, stream: StreamKind = 'main', until?: BlockUntil): Promise<string> {
    return this.manager.playlist(relayIdOf(cameraId, stream), viewerKey, until);
  }

  segment(cameraId: number, name: string, stream: StreamKind = 'main'): ServedFile | undefined {
    return this.manager.segment(relayIdOf(cameraId, stream), name);
  }

  /** The newest segment of whichever stream is running (main first: the bigger picture). Never starts a relay. */
  latestSegment(cameraId: number): LatestSegment | undefined {
    return this.manager.latestSegment(relayIdOf(cameraId, 'main')) ?? this.manager.latestSegment(relayIdOf(cameraId, 'sub'));
  }

  /** Access units of one stream on this thread while a low-latency viewer watches (see RelayManager.subscribe). */
  subscribe(cameraId: number, stream: StreamKind, tap: VideoTap): () => void {
    return this.manager.subscribe(relayIdOf(cameraId, stream), tap);
  }

  /** The video codec a running stream plays (from its SPS); null before it is known. */
  codecOf(cameraId: number, stream: StreamKind = 'main'): VideoCodec | null {
    return this.manager.codecOf(relayIdOf(cameraId, stream));
  }

  list(): CameraRelayStats[] {
    return this.manager.list().filter((r) => !isDeviceRelay(r.relayId)).map(inCameraTerms);
  }

  /** Stop both of a camera's relays (camera deleted, or a test wants it gone). */
  stop(cameraId: number): void {
    this.manager.stop(relayIdOf(cameraId, 'main'));
    this.manager.stop(relayIdOf(cameraId, 'sub'));
  }

  get size(): number {
    return this.manager.size;
  }

  warmUp(): Promise<void> {
    return this.manager.warmUp();
  }

  close(): void {
    this.manager.close();
  }
}
