// Decides what each relay's segments become, and keeps recorded cameras' relays running:
//   - every running relay: its segments go to the rewind ring (kept `ringMs`, pruned as it goes); no setting;
//   - a camera recorded continuously: its chosen stream's relay is pinned (runs without viewers, counted against
//     the relay cap) and its segments are kept as recordings instead, under retention, quota and locks.
// A full disk stops writing (reason 'disk full', shown in the camera's recording state) while live keeps playing.
import { EventEmitter } from 'node:events';
import { relayIdOf, streamOfRelay } from '../camera-relays';
import type { Publish } from '../hls/packager';
import type { RelayManager } from '../relay-manager';
import type { RelayId } from '../types';
import type { Janitor } from './janitor';
import type { RecordingStore } from './store';
import type { RecordStream } from './types';

export interface RecorderSettings {
  cameraId: number;
  mode: 'off' | 'continuous';
  stream: RecordStream;
  retentionDays: number;
}

export interface CameraRecordingState {
  cameraId: number;
  mode: 'off' | 'continuous';
  stream: RecordStream;
  /** recording: segments are being kept; waiting: the relay is not online (yet); stopped: see reason. */
  state: 'recording' | 'waiting' | 'stopped' | 'off';
  reason: string | null;
}

export interface RecorderOptions {
  store: RecordingStore;
  janitor: Janitor;
  /** 0: no rewind ring. */
  ringEnabled: boolean;
  /** Housekeeping period (ring pruning, restarting pinned relays); the janitor runs every `janitorEvery` ticks. */
  tickMs?: number;
  janitorEvery?: number;
}

export class Recorder extends EventEmitter<{ state: [CameraRecordingState] }> {
  private manager: RelayManager | null = null;
  private readonly settings = new Map<number, RecorderSettings>();
  private diskLow = false;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private sweeping = false;

  constructor(private readonly opts: RecorderOptions) {
    super();
    this.timer = setInterval(() => { void this.tick(); }, opts.tickMs ?? 5_000);
    this.timer.unref();
  }

  attach(manager: RelayManager): void {
    this.manager = manager;
    for (const s of this.settings.values()) this.pin(s, true);
  }

  /** Relay hook: where a Publish's segments go. */
  onPublish(relayId: RelayId, p: Publish): void {
    const key = streamOfRelay(relayId);
    const s = this.settings.get(key.cameraId);
    const recorded = !!s && s.mode !== 'off' && s.stream === key.stream;
    if (this.diskLow) return;
    if (!recorded && !this.opts.ringEnabled) return;
    this.opts.store.accept(key, p, recorded ? 'record' : 'ring');
  }

  onRelayEnd(relayId: RelayId): void {
    void this.opts.store.release(streamOfRelay(relayId)).catch(() => {});
  }

  /** Apply a camera's setting (at start for every recorded camera, and on each change). */
  apply(next: RecorderSettings): void {
    const prev = this.settings.get(next.cameraId);
    if (prev) this.pin(prev, false);
    if (next.mode === 'off') this.settings.delete(next.cameraId);
    else {
      this.settings.set(next.cameraId, next);
      this.pin(next, true);
    }
    this.emit('state', this.state(next.cameraId));
  }

  forget(cameraId: number): void {
    this.apply({ cameraId, mode: 'off', stream: 'main', retentionDays: 0 });
  }

  state(cameraId: number): CameraRecordingState {
    const s = this.settings.get(cameraId);
    if (!s) return { cameraId, mode: 'off', stream: 'main', state: 'off', reason: null };
    const relayId = relayIdOf(cameraId, s.stream);
    const stopped = this.opts.store.stoppedReason({ cameraId, stream: s.stream }) ?? (this.diskLow ? 'disk full' : null);
    if (stopped) return { cameraId, mode: s.mode, stream: s.stream, state: 'stopped', reason: stopped };
    const relay = this.manager?.list().find((r) => r.relayId === relayId);
    if (!relay || relay.state !== 'online') return { cameraId, mode: s.mode, stream: s.stream, state: 'waiting', reason: relay?.reason ?? null };
    return { cameraId, mode: s.mode, stream: s.stream, state: 'recording', reason: null };
  }

  recordedCameras(): number[] { return [...this.settings.keys()]; }

  async tick(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      this.manager?.restartPinned();
      await this.opts.store.pruneRing();
      if (this.ticks++ % (this.opts.janitorEvery ?? 12) === 0) await this.sweepDisk();
    } catch { /* next tick */ } finally { this.sweeping = false; }
  }

  /** Retention, quota and the low-disk guard; recording stops while the disk stays low and resumes after. */
  async sweepDisk(): Promise<void> {
    const r = await this.opts.janitor.sweep();
    if (r.diskLow !== this.diskLow) {
      this.diskLow = r.diskLow;
      for (const id of this.settings.keys()) {
        if (!r.diskLow) this.opts.store.resume({ cameraId: id, stream: this.settings.get(id)!.stream });
        this.emit('state', this.state(id));
      }
    } else if (!r.diskLow) {
      // A stream stopped by ENOSPC tries again once the sweep found room.
      for (const [id, s] of this.settings) {
        if (this.opts.store.stoppedReason({ cameraId: id, stream: s.stream })) {
          this.opts.store.resume({ cameraId: id, stream: s.stream });
          this.emit('state', this.state(id));
        }
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
  }

  private pin(s: RecorderSettings, on: boolean): void {
    if (!this.manager) return;
    try { this.manager.pin(relayIdOf(s.cameraId, s.stream), on); } catch { /* at the relay cap: restartPinned retries */ }
  }
}
