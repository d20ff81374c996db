// Wires socket 'camera:status' into the status store (rows, tiles) and the tree counts; keeps a short log for the
// side panel. The socket module replays missed events after a reconnect (deduplicated by seq); afterwards the
// counts are re-read, whatever the replay covered.
import { useCallback, useRef, useState } from 'react';
import type { CameraStatusEvent } from '../api/socket';
import { isCameraStatusEvent } from '../lib/guards';
import { statusStore } from '../lib/status-store';
import type { OrgTree } from './use-org-tree';
import { useDurableEvent, useResync } from './use-socket';

export interface FeedEntry extends CameraStatusEvent {
  receivedAt: number;
  key: number;
}

const LOG_SIZE = 50;

export function useStatusFeed(tree: Pick<OrgTree, 'statusChanged' | 'refreshCounts'>): FeedEntry[] {
  const [log, setLog] = useState<FeedEntry[]>([]);
  const counter = useRef(0);

  const handle = useCallback(
    (payload: unknown) => {
      if (!isCameraStatusEvent(payload)) return console.warn('ignored malformed camera:status', payload);
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

  useDurableEvent('camera:status', handle);
  useResync(() => tree.refreshCounts());

  return log;
}
