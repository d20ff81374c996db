// PTZ for one wall tile: whether the camera has it, who steers it (kept current by 'ptz:lock' events), and a mover
// that sends a held direction at once, repeats it every MOVE_KEEPALIVE_MS while held (the server stops a silent
// move after 1 s, so a lost stop never leaves a camera turning) and stops on release.
import { useCallback, useEffect, useRef, useState } from 'react';
import { MOVE_KEEPALIVE_MS } from '../../../server/domain/ptz-lock';
import { ApiError } from '../api/http';
import { ptzApi, type PtzLockState } from '../api/ptz-api';
import { isStill, sameVelocity, STILL, type Velocity } from '../lib/ptz-logic';
import { useDurableEvent } from './use-socket';

/** Cameras known to have no PTZ (409 once): no request again while the page lives. */
const withoutPtz = new Set<number>();

export interface PtzControl {
  capable: boolean;
  lock: PtzLockState | null;
  /** Who took the lock from this user (shown until dismissed or the next own command). */
  takenBy: string | null;
  /** The last refusal or failure, as the server worded it. */
  error: string | null;
  setVelocity(v: Velocity): void;
  run(action: () => Promise<PtzLockState | void>): Promise<void>;
  takeOver(): Promise<void>;
  release(): Promise<void>;
  dismiss(): void;
}

export function usePtz(cameraId: number): PtzControl {
  const [capable, setCapable] = useState(!withoutPtz.has(cameraId));
  const [lock, setLock] = useState<PtzLockState | null>(null);
  const [takenBy, setTakenBy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mineRef = useRef(false);
  mineRef.current = !!lock?.mine;

  const refresh = useCallback(async (signal?: AbortSignal) => {
    try {
      setLock(await ptzApi.state(cameraId, signal));
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.status === 404)) {
        withoutPtz.add(cameraId);
        setCapable(false);
      }
    }
  }, [cameraId]);

  useEffect(() => {
    if (withoutPtz.has(cameraId)) return;
    const ac = new AbortController();
    void refresh(ac.signal);
    return () => ac.abort();
  }, [cameraId, refresh]);

  useDurableEvent('ptz:lock', (payload) => {
    const e = payload as { cameraId?: number; reason?: string; holder?: { name?: string } | null };
    if (e?.cameraId !== cameraId) return;
    if (e.reason === 'take-over' && mineRef.current) setTakenBy(e.holder?.name ?? '?');
    void refresh();
  });

  const fail = useCallback((err: unknown) => {
    setError(err instanceof ApiError ? err.message : String((err as Error)?.message ?? err));
    void refresh();
  }, [refresh]);

  // The mover: the velocity held now, and the keep-alive timer while it is not still.
  const current = useRef<Velocity>(STILL);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const send = useCallback((v: Velocity) => {
    const call = isStill(v) ? ptzApi.stop(cameraId) : ptzApi.move(cameraId, v);
    call.then((state) => setLock(state), (err) => {
      clearInterval(timer.current);
      timer.current = undefined;
      current.current = STILL;
      fail(err);
    });
  }, [cameraId, fail]);

  const setVelocity = useCallback((v: Velocity) => {
    if (sameVelocity(v, current.current)) return;
    const wasMoving = !isStill(current.current);
    current.current = v;
    if (isStill(v)) {
      clearInterval(timer.current);
      timer.current = undefined;
      if (wasMoving) send(STILL);
      return;
    }
    setError(null);
    setTakenBy(null);
    send(v);
    if (!timer.current) timer.current = setInterval(() => send(current.current), MOVE_KEEPALIVE_MS);
  }, [send]);

  // Leaving the page or the tile while a key is held: stop now rather than wait for the server's watchdog.
  useEffect(() => {
    const onHide = () => setVelocity(STILL);
    window.addEventListener('blur', onHide);
    document.addEventListener('visibilitychange', onHide);
    return () => {
      window.removeEventListener('blur', onHide);
      document.removeEventListener('visibilitychange', onHide);
      if (!isStill(current.current)) void ptzApi.stop(cameraId).catch(() => {});
      clearInterval(timer.current);
    };
  }, [cameraId, setVelocity]);

  const run = useCallback(async (action: () => Promise<PtzLockState | void>) => {
    setError(null);
    try {
      const state = await action();
      if (state) setLock(state);
      else await refresh();
    } catch (err) {
      fail(err);
    }
  }, [fail, refresh]);

  return {
    capable, lock, takenBy, error, setVelocity, run,
    takeOver: () => run(() => ptzApi.take(cameraId, true)),
    release: () => run(() => ptzApi.release(cameraId)),
    dismiss: () => {
      setError(null);
      setTakenBy(null);
    },
  };
}
