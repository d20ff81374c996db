// Decides what each relay's segments become, and keeps recorded cameras' relays running:
//   - every running relay: its segments go to the rewind ring (kept `ringMs`, pruned as it goes); no setting;
//   - a camera's plan (server/domain/recording-plan.ts) decides per segment whether it is kept as a recording:
//     continuous always; a weekly schedule inside its ranges (its start pins the relay, its end unpins it, checked
//     every tick); event mode keeps the relay pinned with only the ring until an event (a danger tag, an alarm):
//     then the ring's past (pre-roll) is marked as recording and the relay records until the post-roll ends;
//   - a hold (an event's or evidence clip's post-roll) records any camera until it ends, whatever its mode.
// Pinned relays run without viewers and count against the relay cap. A full disk stops writing (reason 'disk
// full', shown in the camera's recording state) while live keeps playing.
import { EventEmitter } from 'node:events';
import { nextPlanChange, pinsRelay, recordsAt, type RecordingMode, type WeeklyPlan } from '../../domain/recording-plan';
import { relayIdOf, streamOfRelay } from '../camera-relays';
import type { Publish } from '../hls/packager';
import type { RelayManager } from '../relay-manager';
import type { RelayId } from '../types';
import type { Janitor } from './janitor';
import type { RecordingStore } from './store';
import type { RecordStream } from './types';

export interface RecorderSettings {
  cameraId: number;
  mode: RecordingMode;
  stream: RecordStream;
  retentionDays: number;
  schedule?: WeeklyPlan | null;
  preRollSec?: number;
  postRollSec?: number;
}

export interface CameraRecordingState {
  cameraId: number;
  mode: RecordingMode;
  stream: RecordStream;
  /** recording: segments are being kept; waiting: the relay is not online (yet); stopped: see reason; standby: a
   * schedule outside its ranges, or event mode between events (ring only). */
  state: 'recording' | 'waiting' | 'stopped' | 'standby' | 'off';
  reason: string | null;
  /** Whether the recorder keeps the camera's relay running now. */
  pinned: boolean;
  /** A running post-roll (event or evidence clip) records until then. */
  holdUntil: number | null;
  /** A schedule's next start or stop. */
  nextChange: number | null;
}

export interface RecorderOptions {
  store: RecordingStore;
  janitor: Janitor;
  /** 0: no rewind ring. */
  ringEnabled: boolean;
  /** Housekeeping period (ring pruning, restarting pinned relays); the janitor runs every `janitorEvery` ticks. */
  tickMs?: number;
  janitorEvery?: number;
  /** The clock (tests drive schedules with their own). */
  now?: () => number;
}

export class Recorder extends EventEmitter<{ state: [CameraRecordingState] }> {
  private manager: RelayManager | null = null;
  private readonly settings = new Map<number, RecorderSettings>();
  /** Post-roll ends per camera (events and evidence clips). */
  private readonly holds = new Map<number, number>();
  /** The relay each camera has pinned now (a schedule outside its hours has none). */
  private readonly pinned = new Map<number, RelayId>();
  private diskLow = false;
  private readonly timer: NodeJS.Timeout;
  private ticks = 0;
  private sweeping = false;
  private readonly now: () => number;

  constructor(private readonly opts: RecorderOptions) {
    super();
    this.now = opts.now ?? Date.now;
    this.timer = setInterval(() => { void this.tick(); }, opts.tickMs ?? 5_000);
    this.timer.unref();
  }

  attach(manager: RelayManager): void {
    this.manager = manager;
    this.pinned.clear();
    this.reconcile();
  }

  /** Relay hook: where a Publish's segments go. */
  onPublish(relayId: RelayId, p: Publish): void {
    const key = streamOfRelay(relayId);
    const s = this.settings.get(key.cameraId);
    const hold = this.holdOf(key.cameraId);
    const now = this.now();
    // A hold records whichever stream of the camera runs; a plan records its own stream.
    const recorded = hold !== null ? true : !!s && s.stream === key.stream && recordsAt({ mode: s.mode, schedule: s.schedule ?? null }, now, null);
    if (this.diskLow) return;
    // Event mode needs the ring for its pre-roll even where rewind is turned off.
    if (!recorded && !this.opts.ringEnabled && s?.mode !== 'event') return;
    this.opts.store.accept(key, p, recorded ? 'record' : 'ring');
  }

  onRelayEnd(relayId: RelayId): void {
    void this.opts.store.release(streamOfRelay(relayId)).catch(() => {});
  }

  /** Apply a camera's effective setting (at start for every recorded camera, and on each change). */
  apply(next: RecorderSettings): void {
    if (next.mode === 'off') this.settings.delete(next.cameraId);
    else this.settings.set(next.cameraId, next);
    this.reconcileOne(next.cameraId, true);
  }

  forget(cameraId: number): void {
    this.holds.delete(cameraId);
    this.apply({ cameraId, mode: 'off', stream: 'main', retentionDays: 0 });
  }

  /** An event (a danger tag, an alarm) at `atMs`: the stored past from `atMs - beforeMs` (still in the rewind
   * ring) becomes recording, and the camera records until `atMs + afterMs` (its relay pinned until then). Without
   * explicit spans, an event-mode camera's own pre/post roll. Resolves once the pre-roll is marked. */
  async trigger(cameraId: number, atMs: number, span?: { beforeMs: number; afterMs: number; onlyIfRunning?: boolean }): Promise<{ fromMs: number; toMs: number }> {
    const s = this.settings.get(cameraId);
    const beforeMs = span?.beforeMs ?? (s?.preRollSec ?? 30) * 1000;
    const afterMs = span?.afterMs ?? (s?.postRollSec ?? 30) * 1000;
    const fromMs = atMs - beforeMs;
    const toMs = atMs + afterMs;
    // An evidence clip records the post-roll of a tile being watched (its relay runs); it never starts a relay of
    // its own, as a tag's frame never does. An event (alarm) does: that is what event recording is for.
    const running = !span?.onlyIfRunning || this.pinned.has(cameraId) || (this.manager?.list() ?? []).some((r) => streamOfRelay(r.relayId).cameraId === cameraId);
    if (toMs > this.now() && running) {
      this.holds.set(cameraId, Math.max(this.holds.get(cameraId) ?? 0, toMs));
      this.reconcileOne(cameraId, true);
    }
    // The ring's files of the range: whole files (the ring is cut a file at a time), both streams.
    await this.opts.store.markRecorded(cameraId, fromMs, Math.min(toMs, this.now()) + 1);
    return { fromMs, toMs };
  }

  state(cameraId: number): CameraRecordingState {
    const s = this.settings.get(cameraId);
    const hold = this.holdOf(cameraId);
    const pinned = this.pinned.has(cameraId);
    const mode = s?.mode ?? 'off';
    const stream = s?.stream ?? 'main';
    const nextChange = s?.mode === 'schedule' && s.schedule ? nextPlanChange(s.schedule, this.now()) : null;
    const base = { cameraId, mode, stream, pinned, holdUntil: hold, nextChange };
    if (!s && hold === null) return { ...base, state: 'off', reason: null };
    const stopped = this.opts.store.stoppedReason({ cameraId, stream }) ?? (this.diskLow ? 'disk full' : null);
    if (stopped) return { ...base, state: 'stopped', reason: stopped };
    const recording = hold !== null || (!!s && recordsAt({ mode: s.mode, schedule: s.schedule ?? null }, this.now(), null));
    if (!recording) return { ...base, state: 'standby', reason: mode === 'event' ? 'waiting for an event' : 'outside the schedule' };
    const relay = this.manager?.list().find((r) => r.relayId === relayIdOf(cameraId, stream));
    if (!relay || relay.state !== 'online') return { ...base, state: 'waiting', reason: relay?.reason ?? null };
    return { ...base, state: 'recording', reason: null };
  }

  recordedCameras(): number[] { return [...this.settings.keys()]; }

  /** Pin or unpin every camera's relay as its plan and holds say now (a schedule's start or end, a post-roll's
   * end). Called every tick; tests call it with their own clock. */
  reconcile(): void {
    for (const id of new Set([...this.settings.keys(), ...this.holds.keys(), ...this.pinned.keys()])) this.reconcileOne(id, false);
  }

  private holdOf(cameraId: number): number | null {
    const until = this.holds.get(cameraId);
    if (until === undefined) return null;
    if (until < this.now()) { this.holds.delete(cameraId); return null; }
    return until;
  }

  private reconcileOne(cameraId: number, announce: boolean): void {
    const s = this.settings.get(cameraId);
    const hold = this.holdOf(cameraId);
    const want = hold !== null || (!!s && pinsRelay({ mode: s.mode, schedule: s.schedule ?? null }, this.now()));
    const relayId = relayIdOf(cameraId, s?.stream ?? 'main');
    const had = this.pinned.get(cameraId);
    let changed = announce;
    if (had !== undefined && (had !== relayId || !want)) {
      this.pinned.delete(cameraId);
      this.pin(had, false);
      changed = true;
    }
    if (want && this.pinned.get(cameraId) === undefined && this.manager) {
      this.pinned.set(cameraId, relayId);
      this.pin(relayId, true);
      changed = true;
    }
    if (changed) this.emit('state', this.state(cameraId));
  }

  async tick(): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      this.reconcile();
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

  private pin(relayId: RelayId, on: boolean): void {
    if (!this.manager) return;
    try { this.manager.pin(relayId, on); } catch { /* at the relay cap: restartPinned retries */ }
  }
}
