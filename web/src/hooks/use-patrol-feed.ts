// Real-time side of 视频巡查: a run falling due toasts in the unit that runs it, an overdue run warns that unit and
// every unit above it (as overdue tasks do), and `version` bumps so the patrol page and badge re-read. The badge
// counts runs of my unit waiting to be started.
import { useCallback, useEffect, useState } from 'react';
import { patrolApi } from '../api/patrol-api';
import type { Message } from '../i18n';
import { isPatrolDueEvent, isPatrolOverdueEvent, isPatrolStatusEvent } from '../lib/guards';
import { useDurableEvent, useResync } from './use-socket';

export interface PatrolFeed {
  version: number;
  /** Runs of my unit due and not started. */
  badge: number;
  changed: () => void;
}

export function usePatrolFeed(myUnitId: number, enabled: boolean, notify: (tone: 'alert' | 'warn' | 'info', message: Message) => void): PatrolFeed {
  const [version, setVersion] = useState(0);
  const [badge, setBadge] = useState(0);
  const changed = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    patrolApi.runs({ state: 'due', limit: 200 }, abort.signal).then(
      (page) => setBadge(page.items.filter((r) => r.orgUnitId === myUnitId).length),
      () => { /* keep the last figure; the next change retries */ },
    );
    return () => abort.abort();
  }, [version, enabled, myUnitId]);

  useDurableEvent('patrol:due', (p) => {
    if (!isPatrolDueEvent(p)) return console.warn('ignored malformed patrol:due', p);
    changed();
    if (p.orgUnitId === myUnitId) notify('alert', { key: 'patrol.toast.due', params: { plan: p.planName, count: p.cameraCount } });
  });
  useDurableEvent('patrol:overdue', (p) => {
    if (!isPatrolOverdueEvent(p)) return console.warn('ignored malformed patrol:overdue', p);
    changed();
    notify('warn', { key: 'patrol.toast.overdue', params: { plan: p.planName, unit: p.orgUnitName } });
  });
  useDurableEvent('patrol:status', (p) => {
    if (!isPatrolStatusEvent(p)) return console.warn('ignored malformed patrol:status', p);
    changed();
  });
  useResync(changed);
  return { version, badge, changed };
}
