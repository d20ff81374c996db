// Wires socket 'camera:status' into the status store (rows, tiles) and the tree counts; keeps a short log for the side panel.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { CameraStatusEvent } from '../api/socket';
import { isCameraStatusEvent } from '../lib/guards';
import { statusStore } from '../lib/status-store';
import type { OrgTree } from './use-org-tree';
import { useSocketConnected, useSocketEvent } from './use-socket';

export interface FeedEntry extends CameraStatusEvent {
  receivedAt: number;
  seq: number;
}

const LOG_SIZE = 50;

export function useStatusFeed(tree: Pick<OrgTree, 'statusChanged' | 'refreshCounts'>): FeedEntry[] {
  const [log, setLog] = useState<FeedEntry[]>([]);
  const seq = useRef(0);

  useSocketEvent(
    'camera:status',
    useCallback(
      (payload: CameraStatusEvent) => {
        if (!isCameraStatusEvent(payload)) return console.warn('ignored malformed camera:status', payload);
        const prev = statusStore.set(payload.cameraId, {
          status: payload.status,
          reason: payload.reason ?? null,
          lastSeenAt: payload.lastSeenAt ?? null,
        });
        if (prev?.status === payload.status) return; // a repeat or a reason-only change: counts unchanged
        tree.statusChanged(payload.orgUnitId, prev?.status, payload.status);
        const entry: FeedEntry = { ...payload, receivedAt: Date.now(), seq: ++seq.current };
        setLog((l) => [entry, ...l].slice(0, LOG_SIZE));
      },
      [tree],
    ),
  );

  // After a reconnect, events may have been missed: re-read the counts once.
  const connected = useSocketConnected();
  const everConnected = useRef(false);
  useEffect(() => {
    if (!connected) return;
    if (everConnected.current) tree.refreshCounts();
    everConnected.current = true;
  }, [connected, tree]);

  return log;
}
