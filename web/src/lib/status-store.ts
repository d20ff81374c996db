// Latest known status per camera, fed by loaded camera pages and by socket 'camera:status' events.
// Rows and tiles subscribe per camera (useSyncExternalStore), so one event re-renders only what shows that camera.
import type { CameraStatus } from '../../../server/contracts/api';

export interface StatusEntry {
  status: CameraStatus;
  reason: string | null;
  lastSeenAt: string | null;
}

type Listener = () => void;

export class StatusStore {
  private readonly entries = new Map<number, StatusEntry>();
  private readonly listeners = new Map<number, Set<Listener>>();

  get(cameraId: number): StatusEntry | undefined {
    return this.entries.get(cameraId);
  }

  /** Records a status; returns the previous one (undefined if this camera was never seen). */
  set(cameraId: number, entry: StatusEntry): StatusEntry | undefined {
    const prev = this.entries.get(cameraId);
    if (prev && prev.status === entry.status && prev.reason === entry.reason && prev.lastSeenAt === entry.lastSeenAt) return prev;
    this.entries.set(cameraId, entry);
    this.listeners.get(cameraId)?.forEach((l) => l());
    return prev;
  }

  subscribe(cameraId: number, listener: Listener): () => void {
    let set = this.listeners.get(cameraId);
    if (!set) this.listeners.set(cameraId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(cameraId);
    };
  }

  /** Forget everything (logout): statuses are per session and per scope. */
  clear(): void {
    this.entries.clear();
    for (const set of this.listeners.values()) set.forEach((l) => l());
  }
}

export const statusStore = new StatusStore();

/** Names of cameras seen in lists, so events (which carry only ids) can be shown readably. */
const names = new Map<number, string>();
export const rememberName = (cameraId: number, name: string): void => void names.set(cameraId, name);
export const cameraName = (cameraId: number): string | undefined => names.get(cameraId);
