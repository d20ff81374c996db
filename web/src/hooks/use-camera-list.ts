// Paged camera list for the selected unit or a search: 100 at a time, "more" appends, a filter change resets.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError, isAbort, type Camera } from '../api/http';
import { cameraQuery, filtersKey, type CameraFilters } from '../components/tree/tree-state';
import { rememberName, statusStore } from '../lib/status-store';
import { useI18n } from './use-i18n';

export interface CameraList {
  items: Camera[];
  total: number;
  loading: boolean;
  error: string | null;
  active: boolean;
  loadMore: () => void;
  retry: () => void;
}

function remember(cameras: Camera[]): void {
  for (const c of cameras) {
    rememberName(c.id, c.name);
    statusStore.set(c.id, { status: c.status, reason: c.statusReason, lastSeenAt: c.lastSeenAt });
  }
}

export function useCameraList(filters: CameraFilters): CameraList {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const key = filtersKey(filters);
  const filtersRef = useRef(filters);
  filtersRef.current = filters;
  const [items, setItems] = useState<Camera[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const ctrl = useRef<AbortController | null>(null);
  const active = cameraQuery(filters) !== null;

  const load = useCallback((offset: number) => {
    const query = cameraQuery(filtersRef.current, offset);
    ctrl.current?.abort();
    if (!query) {
      setItems([]);
      setTotal(0);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    ctrl.current = controller;
    setLoading(true);
    setError(null);
    api.cameras(query, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        remember(page.items);
        setTotal(page.total);
        setItems((prev) => {
          if (offset === 0) return page.items;
          const seen = new Set(prev.map((c) => c.id)); // offsets can shift while cameras are added
          return [...prev, ...page.items.filter((c) => !seen.has(c.id))];
        });
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err) || controller.signal.aborted) return;
        setError(describeError(err, tRef.current));
        setLoading(false);
      },
    );
  }, []);

  useEffect(() => {
    setItems([]);
    setTotal(0);
    load(0);
    return () => ctrl.current?.abort();
  }, [key, attempt, load]);

  const itemsRef = useRef(items);
  itemsRef.current = items;
  const loadMore = useCallback(() => {
    if (!loading && itemsRef.current.length < total) load(itemsRef.current.length);
  }, [loading, total, load]);

  return { items, total, loading, error, active, loadMore, retry: useCallback(() => setAttempt((n) => n + 1), []) };
}
