// One server page of the filtered camera list, with unit name paths for its rows; live status from `camera:status`,
// a re-read after a committed import (`catalogue:imported`) or a reconnect that missed events.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Camera } from '../api/http';
import { devicesApi } from '../api/devices-api';
import { isAbort } from '../api/http';
import { filtersToQuery, missingIds, type CameraFilters } from '../lib/devices-logic';
import { clearUnitCache } from './use-org-units';
import { useDurableEvent, useResync } from './use-socket';

interface StatusPayload {
  cameraId: number;
  status: Camera['status'];
  reason: string | null;
  lastSeenAt: string | null;
}

const isStatus = (p: unknown): p is StatusPayload =>
  !!p && typeof p === 'object' && typeof (p as StatusPayload).cameraId === 'number' && typeof (p as StatusPayload).status === 'string';

export interface CameraPageState {
  items: Camera[];
  total: number;
  loading: boolean;
  error: unknown;
  /** Unit id → "安澜县/东城街道/团结社区". */
  /** Name paths by unit id, in Chinese and in English names (组织机构: a unit without one keeps its Chinese name). */
  paths: ReadonlyMap<number, { path: string; pathEn: string }>;
  reload: () => void;
  /** Counts reloads (import committed, reconnect): what else on the page depends on the catalogue re-reads on it. */
  version: number;
}

export function useDevicesCameras(filters: CameraFilters): CameraPageState {
  const [items, setItems] = useState<Camera[]>([]);
  const [total, setTotal] = useState(0);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [paths, setPaths] = useState<ReadonlyMap<number, { path: string; pathEn: string }>>(new Map());
  const pathsRef = useRef(paths);
  pathsRef.current = paths;
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    devicesApi.cameras(filtersToQuery(filters), abort.signal).then(
      async (page) => {
        setItems(page.items);
        setTotal(page.total);
        setError(null);
        setLoading(false);
        const chunks = missingIds(page.items.map((c) => c.orgUnitId), pathsRef.current);
        try {
          const found = (await Promise.all(chunks.map((ids) => devicesApi.orgPaths(ids, abort.signal)))).flat();
          if (found.length) setPaths((old) => new Map([...old, ...found.map((p) => [p.id, { path: p.path, pathEn: p.pathEn }] as const)]));
        } catch {
          /* rows keep "…" for their unit; the next page load asks again */
        }
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => abort.abort();
  }, [filters, version]);

  useDurableEvent('camera:status', (payload) => {
    if (!isStatus(payload)) return;
    setItems((list) =>
      list.some((c) => c.id === payload.cameraId)
        ? list.map((c) => (c.id === payload.cameraId ? { ...c, status: payload.status, statusReason: payload.reason, lastSeenAt: payload.lastSeenAt } : c))
        : list,
    );
  });
  useDurableEvent('catalogue:imported', (payload) => {
    // An import may have created org units (someone else's too): the pickers read units afresh.
    if (payload && typeof payload === 'object' && (payload as { orgUnitsCreated?: number }).orgUnitsCreated) clearUnitCache();
    reload();
  });
  useResync(reload);

  return { items, total, loading, error, paths, reload, version };
}
