import { useCallback, useSyncExternalStore } from 'react';
import { statusStore, type StatusEntry } from '../lib/status-store';

/** Live status of one camera (from its list row or the latest socket event); undefined until known. */
export function useCameraStatus(cameraId: number): StatusEntry | undefined {
  const subscribe = useCallback((notify: () => void) => statusStore.subscribe(cameraId, notify), [cameraId]);
  return useSyncExternalStore(subscribe, () => statusStore.get(cameraId), () => undefined);
}
