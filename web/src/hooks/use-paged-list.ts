// A list read page by page from the server and re-read from the start whenever `version` or `key` changes
// (a socket event, a filter). "More" appends the next page.
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError, isAbort } from '../api/http';
import { useI18n } from './use-i18n';

export interface Page<T> {
  items: T[];
  total: number;
}

export interface PagedList<T> {
  items: T[];
  total: number;
  loading: boolean;
  error: string | null;
  more: () => void;
  reload: () => void;
}

export function usePagedList<T>(
  load: (offset: number, signal: AbortSignal) => Promise<Page<T>>,
  key: string,
  version: number,
  enabled = true,
): PagedList<T> {
  const { t } = useI18n();
  const [state, setState] = useState<{ items: T[]; total: number; loading: boolean; error: string | null }>({
    items: [], total: 0, loading: false, error: null,
  });
  const [reloads, setReloads] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const tRef = useRef(t);
  tRef.current = t;
  const abortRef = useRef<AbortController | null>(null);

  const fetchPage = useCallback((offset: number) => {
    abortRef.current?.abort();
    const abort = new AbortController();
    abortRef.current = abort;
    setState((s) => ({ ...s, loading: true, error: null }));
    loadRef.current(offset, abort.signal).then(
      (page) => {
        if (abort.signal.aborted) return;
        // A re-read keeps what was shown until the answer is in, so live updates do not flash an empty list.
        setState((s) => ({ items: offset === 0 ? page.items : [...s.items, ...page.items], total: page.total, loading: false, error: null }));
      },
      (err: unknown) => {
        if (abort.signal.aborted || isAbort(err)) return;
        setState((s) => ({ ...s, loading: false, error: describeError(err, tRef.current) }));
      },
    );
  }, []);

  useEffect(() => {
    if (!enabled) return;
    fetchPage(0);
    return () => abortRef.current?.abort();
  }, [key, version, reloads, enabled, fetchPage]);

  const more = useCallback(() => fetchPage(state.items.length), [fetchPage, state.items.length]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { ...state, more, reload };
}
