// 轮巡: drives the pure tour timer (lib/tour.ts) once a second and loads each page into the wall: a page of the
// selected unit's cameras (one request per page, never the whole unit) or of a saved layout's cameras.
// Stopping puts back the wall the operator had before the tour.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../api/http';
import type { SavedLayout } from '../api/dispatch-api';
import { tileCameras } from '../api/tile-cameras';
import { capacity, type WallAction, type WallState } from '../components/wall/wall-state';
import { rememberName } from '../lib/status-store';
import {
  isPaused, pageCount, pageOf, pauseTour, resumeTour, secondsLeft, setPages, setTourInterval, startTour, stepTour, tickTour,
  type TourIntervalSec, type TourState,
} from '../lib/tour';
import { useI18n } from './use-i18n';

export type TourSource = { kind: 'unit'; unitId: number; name: string } | { kind: 'layout'; layout: SavedLayout };

export interface Tour {
  running: boolean;
  paused: boolean;
  page: number;
  pages: number;
  secondsLeft: number;
  intervalSec: TourIntervalSec;
  source: TourSource | null;
  error: string | null;
  start: (source: TourSource, intervalSec: TourIntervalSec) => void;
  stop: () => void;
  togglePause: () => void;
  step: (delta: number) => void;
  setIntervalSec: (sec: TourIntervalSec) => void;
}

export function useTour(wall: WallState, dispatch: (action: WallAction) => void): Tour {
  const { t } = useI18n();
  const [timer, setTimer] = useState<TourState | null>(null);
  const [source, setSource] = useState<TourSource | null>(null);
  const [intervalSec, setIntervalState] = useState<TourIntervalSec>(30);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const before = useRef<WallState | null>(null);
  const size = capacity(wall.layout);

  // One tick a second while a tour runs: advances the page when due and refreshes the countdown.
  const active = timer !== null;
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      const at = Date.now();
      setNow(at);
      setTimer((s) => (s ? tickTour(s, at) : s));
    }, 1_000);
    return () => clearInterval(id);
  }, [active]);

  // Load the current page whenever it, the source or the wall size changes.
  const page = timer?.page ?? 0;
  useEffect(() => {
    if (!source) return;
    const abort = new AbortController();
    const load = async () => {
      if (source.kind === 'unit') {
        const result = await api.cameras({ orgUnitId: source.unitId, limit: size, offset: page * size }, abort.signal);
        result.items.forEach((c) => rememberName(c.id, c.name));
        setTimer((s) => (s ? setPages(s, pageCount(result.total, size)) : s));
        return result.items.map((c) => ({ id: c.id, name: c.name, network: c.network, orgUnitId: c.orgUnitId }));
      }
      const ids = source.layout.cameraIds.filter((id): id is number => id !== null);
      setTimer((s) => (s ? setPages(s, pageCount(ids.length, size)) : s));
      return tileCameras(pageOf(ids, page, size), abort.signal);
    };
    load().then(
      (slots) => {
        if (abort.signal.aborted) return;
        setError(slots.some(Boolean) ? null : t('tour.empty'));
        dispatch({ type: 'load', slots });
      },
      (err: unknown) => !abort.signal.aborted && setError(t('tour.loadFailed', { message: describeError(err, t) })),
    );
    return () => abort.abort();
    // `t` is left out: a language switch must not reload the page of cameras.
  }, [source, page, size, dispatch]);

  const start = useCallback(
    (next: TourSource, sec: TourIntervalSec) => {
      if (!before.current) before.current = wall;
      const at = Date.now();
      setNow(at); // the countdown reads `now`, which only ticks while a tour runs
      setIntervalState(sec);
      setSource(next);
      setError(null);
      setTimer(startTour(sec, at));
    },
    [wall],
  );

  const stop = useCallback(() => {
    setTimer(null);
    setSource(null);
    setError(null);
    const saved = before.current;
    before.current = null;
    if (saved) dispatch({ type: 'load', slots: saved.slots, layout: saved.layout });
  }, [dispatch]);

  const togglePause = useCallback(() => {
    const at = Date.now();
    setNow(at);
    setTimer((s) => (s ? (isPaused(s) ? resumeTour(s, at) : pauseTour(s, at)) : s));
  }, []);

  const step = useCallback((delta: number) => {
    const at = Date.now();
    setNow(at);
    setTimer((s) => (s ? stepTour(s, delta, at) : s));
  }, []);

  const setIntervalSec = useCallback((sec: TourIntervalSec) => {
    const at = Date.now();
    setNow(at);
    setIntervalState(sec);
    setTimer((s) => (s ? setTourInterval(s, sec, at) : s));
  }, []);

  return {
    running: timer !== null,
    paused: timer ? isPaused(timer) : false,
    page: timer?.page ?? 0,
    pages: timer?.pages ?? 1,
    secondsLeft: timer ? secondsLeft(timer, now) : 0,
    intervalSec,
    source,
    error,
    start,
    stop,
    togglePause,
    step,
    setIntervalSec,
  };
}
