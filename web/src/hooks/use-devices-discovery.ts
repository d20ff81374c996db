// One ONVIF discovery job at a time in the view: start, live progress and results from the socket
// (`discovery:progress`, `discovery:result`), the authoritative detail from REST at the end, cancel, add.
import { useCallback, useEffect, useRef, useState } from 'react';
import { devicesApi, type DiscoveryAddBody, type DiscoveryAddResult, type DiscoveryJob, type DiscoveryJobBody, type DiscoveryResult } from '../api/devices-api';
import { isAbort } from '../api/http';
import { mergeResult } from '../lib/devices-logic';
import { useDurableEvent, useResync } from './use-socket';

const SAFETY_POLL_MS = 10_000;

interface ProgressPayload {
  jobId: number;
  state: DiscoveryJob['state'];
  probed: number;
  total: number;
  found: number;
  failed: number;
}

const isProgress = (p: unknown): p is ProgressPayload =>
  !!p && typeof p === 'object' && typeof (p as ProgressPayload).jobId === 'number' && typeof (p as ProgressPayload).probed === 'number';
const isResult = (p: unknown): p is { jobId: number; result: DiscoveryResult } =>
  !!p && typeof p === 'object' && typeof (p as { jobId: unknown }).jobId === 'number' && !!(p as { result?: unknown }).result;

export interface DiscoveryState {
  job: DiscoveryJob | null;
  results: DiscoveryResult[];
  /** Recent jobs in the user's area, newest first (to reopen one). */
  history: DiscoveryJob[];
  error: unknown;
  start: (body: DiscoveryJobBody) => Promise<void>;
  open: (jobId: number) => void;
  cancel: () => Promise<void>;
  add: (body: DiscoveryAddBody) => Promise<DiscoveryAddResult>;
}

export function useDevicesDiscovery(): DiscoveryState {
  const [job, setJob] = useState<DiscoveryJob | null>(null);
  const [results, setResults] = useState<DiscoveryResult[]>([]);
  const [history, setHistory] = useState<DiscoveryJob[]>([]);
  const [error, setError] = useState<unknown>(null);
  const jobId = useRef<number | null>(null);

  const refreshHistory = useCallback(() => {
    devicesApi.jobs().then(setHistory, () => { /* history is a convenience; the job itself still shows */ });
  }, []);

  const load = useCallback(async (id: number) => {
    try {
      const detail = await devicesApi.job(id);
      if (jobId.current !== id) return;
      setJob(detail.job);
      setResults(detail.results);
      setError(null);
    } catch (err) {
      if (!isAbort(err) && jobId.current === id) setError(err);
    }
  }, []);

  useEffect(refreshHistory, [refreshHistory]);

  // The socket drives the progress bar; a slow re-read while the job runs covers a socket that is down without
  // having reconnected yet (no resync would come).
  const running = job?.state === 'running' ? job.id : null;
  useEffect(() => {
    if (running === null) return;
    const timer = setInterval(() => void load(running), SAFETY_POLL_MS);
    return () => clearInterval(timer);
  }, [running, load]);

  const start = useCallback(async (body: DiscoveryJobBody) => {
    setError(null);
    try {
      const created = await devicesApi.startJob(body);
      jobId.current = created.id;
      setJob(created);
      setResults([]);
      // Events may have gone out before the 202 arrived: the detail covers them.
      await load(created.id);
      refreshHistory();
    } catch (err) {
      setError(err);
    }
  }, [load, refreshHistory]);

  const open = useCallback((id: number) => {
    jobId.current = id;
    setResults([]);
    void load(id);
  }, [load]);

  const cancel = useCallback(async () => {
    if (jobId.current === null) return;
    try {
      setJob(await devicesApi.cancelJob(jobId.current));
    } catch (err) {
      setError(err);
    }
  }, []);

  const add = useCallback(async (body: DiscoveryAddBody) => {
    const id = jobId.current;
    if (id === null) throw new Error('no job');
    const answer = await devicesApi.addResults(id, body);
    await load(id);
    return answer;
  }, [load]);

  useDurableEvent('discovery:progress', (payload) => {
    if (!isProgress(payload) || payload.jobId !== jobId.current) return;
    setJob((j) => (j && j.id === payload.jobId ? { ...j, state: payload.state, probed: payload.probed, total: payload.total, found: payload.found, failed: payload.failed } : j));
    if (payload.state !== 'running') {
      void load(payload.jobId);
      refreshHistory();
    }
  });
  useDurableEvent('discovery:result', (payload) => {
    if (!isResult(payload) || payload.jobId !== jobId.current) return;
    setResults((list) => mergeResult(list, payload.result));
  });
  useResync(() => {
    if (jobId.current !== null) void load(jobId.current);
  });

  return { job, results, history, error, start, open, cancel, add };
}
