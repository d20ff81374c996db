// Real-time side of dispatch: socket events → toasts (with the beep for a new task), the inbox badge, pending wall
// pushes, an activity log, and a `version` that lists watch to re-read. Every event also reaches the units above
// the receiver, so only what was sent to this very unit toasts; everything refreshes lists.
import { useCallback, useEffect, useRef, useState } from 'react';
import { dispatchApi } from '../api/dispatch-api';
import type { Message } from '../i18n';
import { beep, unlockAudioOnGesture } from '../lib/beep';
import { isForMe } from '../lib/dispatch-logic';
import {
  isDangerCreatedEvent, isDangerRecheckEvent, isLayoutPushedEvent, isTaskOverdueEvent, isTaskReceivedEvent, isTaskStatusEvent,
} from '../lib/guards';
import type { DispatchSetup } from './use-dispatch-context';
import { useDurableEvent, useResync } from './use-socket';

export interface Toast {
  id: number;
  tone: 'alert' | 'warn' | 'info';
  message: Message;
  dangerId?: number;
  /** Shown once when the beep was blocked by the browser's autoplay policy. */
  soundBlocked?: boolean;
}

export interface ActivityEntry {
  key: number;
  at: number;
  tone: Toast['tone'];
  message: Message;
  dangerId?: number;
}

export interface PendingPush {
  id: number;
  fromUnitName: string;
  sentBy: string;
  cameraIds: number[];
  note: string;
}

export interface DispatchFeed {
  /** Bumped when tasks or dangers changed: lists re-read. */
  version: number;
  badge: number;
  toasts: Toast[];
  dismissToast: (id: number) => void;
  activity: ActivityEntry[];
  pushes: PendingPush[];
  dropPush: (id: number) => void;
  /** Something changed by this page's own action (lists re-read at once). */
  changed: () => void;
  /** A toast about this page's own action (saved, dispatched, pushed). */
  notify: (tone: Toast['tone'], message: Message) => void;
}

const TOAST_MS = 10_000;
const LOG_SIZE = 50;

export function useDispatchFeed(setup: DispatchSetup): DispatchFeed {
  const myUnit = setup.user.orgUnitId;
  const [version, setVersion] = useState(0);
  const [badge, setBadge] = useState(0);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [activity, setActivity] = useState<ActivityEntry[]>([]);
  const [pushes, setPushes] = useState<PendingPush[]>([]);
  const counter = useRef(0);
  const bumpTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const soundHintShown = useRef(false);

  useEffect(() => unlockAudioOnGesture(), []);
  useEffect(() => () => clearTimeout(bumpTimer.current), []);

  // A cascade sends several events at once: one re-read for all of them.
  const bump = useCallback(() => {
    clearTimeout(bumpTimer.current);
    bumpTimer.current = setTimeout(() => setVersion((v) => v + 1), 250);
  }, []);

  const dismissToast = useCallback((id: number) => setToasts((list) => list.filter((x) => x.id !== id)), []);

  const toast = useCallback(
    (entry: Omit<Toast, 'id'>) => {
      const id = ++counter.current;
      setToasts((list) => [...list.slice(-3), { ...entry, id }]);
      setTimeout(() => dismissToast(id), TOAST_MS);
    },
    [dismissToast],
  );

  const log = useCallback((entry: Omit<ActivityEntry, 'key' | 'at'>) => {
    setActivity((list) => [{ ...entry, key: ++counter.current, at: Date.now() }, ...list].slice(0, LOG_SIZE));
  }, []);

  // Badge: dispatched tasks waiting in my inbox, re-read whenever tasks change.
  useEffect(() => {
    const abort = new AbortController();
    dispatchApi.tasks({ box: 'inbox', status: 'dispatched', limit: 1 }, abort.signal).then(
      (page) => setBadge(page.total),
      () => { /* keep the last figure; the next change retries */ },
    );
    return () => abort.abort();
  }, [version]);

  const loadPushes = useCallback(() => {
    dispatchApi.pushes({ box: 'inbox', status: 'pending', limit: 20 }).then(
      (page) => setPushes(page.items.map((p) => ({ id: p.id, fromUnitName: p.fromUnitName, sentBy: p.sentBy, cameraIds: p.cameraIds, note: p.note }))),
      () => {},
    );
  }, []);
  useEffect(loadPushes, [loadPushes]);

  useDurableEvent('task:received', (p) => {
    if (!isTaskReceivedEvent(p)) return console.warn('ignored malformed task:received', p);
    bump();
    // The category label comes from the server's taxonomy in the language of the moment; the rest follows a switch.
    const severity = ['general', 'major', 'critical'].includes(p.severity) ? { severity: `severity.${p.severity}` as const } : undefined;
    const message: Message = {
      key: 'toast.received',
      params: { from: p.fromUnitName, category: setup.categoryLabel(p.category), severity: p.severity },
      paramKeys: severity,
    };
    log({ tone: isForMe(p, myUnit) ? 'alert' : 'info', message, dangerId: p.dangerId });
    if (!isForMe(p, myUnit)) return;
    void beep().then((played) => {
      const soundBlocked = !played && !soundHintShown.current;
      if (soundBlocked) soundHintShown.current = true;
      toast({ tone: 'alert', message, dangerId: p.dangerId, soundBlocked });
    });
  });

  useDurableEvent('task:status', (p) => {
    if (!isTaskStatusEvent(p)) return console.warn('ignored malformed task:status', p);
    bump();
    const message: Message = { key: 'toast.status', params: { id: p.taskId }, paramKeys: { status: `taskStatus.${p.status}` } };
    log({ tone: 'info', message, dangerId: p.dangerId });
    // The dispatcher must act on feedback (办结/驳回) or on a returned task: tell it, quietly.
    if (p.fromUnitId === myUnit && (p.status === 'resolved' || p.status === 'returned') && p.action !== 'cascade') {
      toast({ tone: 'info', message, dangerId: p.dangerId });
    }
  });

  useDurableEvent('task:overdue', (p) => {
    if (!isTaskOverdueEvent(p)) return console.warn('ignored malformed task:overdue', p);
    bump();
    const message = { key: 'toast.overdue' as const, params: { id: p.taskId, unit: p.toUnitName ?? '' } };
    log({ tone: 'warn', message, dangerId: p.dangerId });
    if (isForMe(p, myUnit) || p.fromUnitId === myUnit) toast({ tone: 'warn', message, dangerId: p.dangerId });
  });

  useDurableEvent('danger:created', (p) => {
    if (!isDangerCreatedEvent(p)) return console.warn('ignored malformed danger:created', p);
    bump();
    log({
      tone: 'info',
      message: {
        key: p.origin === 'resident' ? 'closure.residentCreated' : 'danger.created',
        params: { id: p.dangerId, camera: p.cameraName ?? '', category: setup.categoryLabel(p.category) },
      },
      dangerId: p.dangerId,
    });
  });

  // 复查: a re-check came due for my unit (toast), or was decided (log; a failed one reopens the danger).
  useDurableEvent('danger:recheck', (p) => {
    if (!isDangerRecheckEvent(p)) return console.warn('ignored malformed danger:recheck', p);
    bump();
    const message: Message = { key: `closure.event.${p.stage}`, params: { id: p.dangerId, camera: p.cameraName ?? '' } };
    log({ tone: p.stage === 'failed' ? 'warn' : 'info', message, dangerId: p.dangerId });
    if (p.stage === 'due' && p.recheckUnitId === myUnit) toast({ tone: 'info', message, dangerId: p.dangerId });
  });

  useDurableEvent('layout:pushed', (p) => {
    if (!isLayoutPushedEvent(p)) return console.warn('ignored malformed layout:pushed', p);
    if (!isForMe(p, myUnit)) return;
    setPushes((list) => (list.some((x) => x.id === p.pushId) ? list : [
      ...list, { id: p.pushId, fromUnitName: p.fromUnitName, sentBy: p.sentBy, cameraIds: p.cameraIds, note: p.note },
    ]));
  });

  // After a reconnect the replay has brought what it could; re-read the lists and pending pushes anyway.
  useResync(() => {
    bump();
    loadPushes();
  });

  const dropPush = useCallback((id: number) => setPushes((list) => list.filter((x) => x.id !== id)), []);

  const notify = useCallback((tone: Toast['tone'], message: Message) => toast({ tone, message }), [toast]);

  return { version, badge, toasts, dismissToast, activity, pushes, dropPush, changed: bump, notify };
}
