// The lazily loaded org tree: one request per expanded unit, never the whole county.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CameraStatus } from '../../../server/contracts/api';
import { api, describeError } from '../api/http';
import {
  applyStatusChange, emptyTree, expandAll, flattenTree, forgetCollapsed, pendingLoads, setChildren, setError, setLoading, setRoots, toggle,
  type TreeRow, type TreeState,
} from '../components/tree/tree-state';
import { useI18n } from './use-i18n';
import { clearUnitCache } from './use-org-units';
import { useDurableEvent } from './use-socket';

/** How long to gather status events that cannot be applied exactly before re-reading counts. */
const REFRESH_DELAY_MS = 2_000;

export interface OrgTree {
  rows: TreeRow[];
  tree: TreeState;
  rootError: string | null;
  toggle: (id: number) => void;
  retry: (id: number | null) => void;
  /** Feed a camera status change; prev is the status we knew before (undefined if never seen). */
  statusChanged: (unitId: number, prev: CameraStatus | undefined, next: CameraStatus) => void;
  /** Re-read counts of everything loaded (after a socket reconnect, events may have been missed). */
  refreshCounts: () => void;
  /** Re-read the tree now: open branches at once, closed ones when next opened (after a unit was created, moved …). */
  reload: () => void;
  /** Open these units (e.g. a moved unit's new ancestors), loading their children. */
  expand: (ids: readonly number[]) => void;
}

export function useOrgTree(): OrgTree {
  const { t } = useI18n();
  const tRef = useRef(t);
  tRef.current = t;
  const [tree, setTree] = useState<TreeState>(emptyTree);
  const treeRef = useRef(tree);
  treeRef.current = tree;
  const [rootError, setRootError] = useState<string | null>(null);
  const [rootAttempt, setRootAttempt] = useState(0);
  const alive = useRef(true);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // Bumped by every reload: an answer to a request sent before it may predate a move and would put the moved unit
  // back under its old parent (seen as the same unit twice in the tree), so such answers are dropped or asked again.
  const generation = useRef(0);

  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
      clearTimeout(refreshTimer.current);
    };
  }, []);

  useEffect(() => {
    setRootError(null);
    api.orgUnits().then(
      (roots) => alive.current && setTree((s) => setRoots(s, roots)),
      (err: unknown) => alive.current && setRootError(describeError(err, tRef.current)),
    );
  }, [rootAttempt]);

  const loadChildren = useCallback((id: number) => {
    const sent = generation.current;
    setTree((s) => setLoading(s, id));
    api.orgUnits(id).then(
      (children) => {
        if (!alive.current) return;
        if (sent !== generation.current) return loadChildren(id);
        setTree((s) => setChildren(s, id, children));
      },
      (err: unknown) => alive.current && setTree((s) => setError(s, id, describeError(err, tRef.current))),
    );
  }, []);

  useEffect(() => {
    for (const id of pendingLoads(tree)) loadChildren(id);
  }, [tree, loadChildren]);

  const refreshNow = useCallback(async () => {
    refreshTimer.current = undefined;
    const sent = generation.current;
    const snapshot = treeRef.current;
    const parents = [...snapshot.children.keys()].filter((id) => snapshot.expanded.has(id));
    try {
      const [roots, ...lists] = await Promise.all([api.orgUnits(), ...parents.map((id) => api.orgUnits(id))]);
      if (!alive.current || sent !== generation.current) return;
      setTree((s) => parents.reduce((acc, id, i) => setChildren(acc, id, lists[i]), setRoots(s, roots)));
    } catch {
      /* counts stay slightly stale until the next event or reconnect */
    }
  }, []);

  const refreshCounts = useCallback(() => {
    if (refreshTimer.current === undefined) refreshTimer.current = setTimeout(() => void refreshNow(), REFRESH_DELAY_MS);
  }, [refreshNow]);

  const statusChanged = useCallback(
    (unitId: number, prev: CameraStatus | undefined, next: CameraStatus) => {
      const result = applyStatusChange(treeRef.current, unitId, prev, next);
      if (!result.exact) return refreshCounts();
      if (result.state === treeRef.current) return;
      setTree((s) => applyStatusChange(s, unitId, prev, next).state);
    },
    [refreshCounts],
  );

  const reload = useCallback(() => {
    generation.current += 1;
    clearTimeout(refreshTimer.current);
    refreshTimer.current = undefined;
    setTree((s) => forgetCollapsed(s));
    void refreshNow();
  }, [refreshNow]);

  // Units created, renamed, moved or deleted by anyone (this page included): pickers and this tree read afresh.
  useDurableEvent('org:changed', () => {
    clearUnitCache();
    reload();
  });

  const rows = useMemo(() => flattenTree(tree), [tree]);
  return {
    rows,
    tree,
    rootError,
    toggle: useCallback((id: number) => setTree((s) => toggle(s, id)), []),
    retry: useCallback((id: number | null) => (id === null ? setRootAttempt((n) => n + 1) : loadChildren(id)), [loadChildren]),
    statusChanged,
    refreshCounts,
    reload,
    expand: useCallback((ids: readonly number[]) => setTree((s) => expandAll(s, ids)), []),
  };
}
