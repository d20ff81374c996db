// Wires socket 'camera:status' into the status store (rows, tiles) and the tree counts; keeps a short log for the
// side panel. After a reconnect it replays missed events from the server's log, then re-reads the counts.
import { useCallback, useRef, useState } from 'react';
import { replaySince, type CameraStatusEvent } from '../api/socket';
import { isCameraStatusEvent } from '../lib/guards';
import { statusStore } from '../lib/status-store';
import type { OrgTree } from './use-org-tree';
import { useSocketEvent } from './use-socket';

export interface FeedEntry extends CameraStatusEvent {
  receivedAt: number;
  key: number;
}

const LOG_SIZE = 50;

export function useStatusFeed(tree: Pick<OrgTree, 'statusChanged' | 'refreshCounts'>): FeedEntry[] {
  const [log, setLog] = useState<FeedEntry[]>([]);
  const counter = useRef(0);
  /** Highest event seq handled; null until the first session greeting sets the baseline. */
  const lastSeq = useRef<number | null>(null);

  const handle = useCallback(
    (payload: unknown) => {
      if (!isCameraStatusEvent(payload)) return console.warn('ignored malformed camera:status', payload);
      if (typeof payload.seq === 'number') {
        if (lastSeq.current !== null && payload.seq <= lastSeq.current) return; // already seen (replay overlap)
        lastSeq.current = Math.max(lastSeq.current ?? 0, payload.seq);
      }
      const prev = statusStore.set(payload.cameraId, {
        status: payload.status,
        reason: payload.reason ?? null,
        lastSeenAt: payload.lastSeenAt ?? null,
      });
      if (prev?.status === payload.status) return; // a repeat or a reason-only change: counts unchanged
      tree.statusChanged(payload.orgUnitId, prev?.status, payload.status);
      const entry: FeedEntry = { ...payload, receivedAt: Date.now(), key: ++counter.current };
      setLog((l) => [entry, ...l].slice(0, LOG_SIZE));
    },
    [tree],
  );

  useSocketEvent('camera:status', handle);

  useSocketEvent('session:ready', (greeting) => {
    const since = lastSeq.current;
    if (since === null) {
      lastSeq.current = typeof greeting?.lastSeq === 'number' ? greeting.lastSeq : 0;
      return;
    }
    // A reconnect: catch up on what was missed, then make the counts exact whatever the replay covered.
    replaySince(since, (e) => e.event === 'camera:status' && handle(e.payload))
      .catch((err: unknown) => console.warn('event replay failed', err))
      .finally(() => tree.refreshCounts());
  });

  return log;
}
