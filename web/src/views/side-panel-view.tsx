// Right pane: 待办 (tasks sent to my unit), 已派 (sent by my unit), 隐患 (dangers in my area), 事件 (live log).
// Lists re-read whenever a dispatch event arrives (feed.version); the inbox tab carries the badge.
import { useCallback, useEffect, useState } from 'react';
import { dispatchApi } from '../api/dispatch-api';
import { DangerFilters, type DangerFilter } from '../components/dispatch/danger-filters';
import { DangerCard, TaskCard } from '../components/dispatch/task-card';
import type { DispatchFeed } from '../hooks/use-dispatch-feed';
import { useI18n } from '../hooks/use-i18n';
import { usePagedList, type PagedList } from '../hooks/use-paged-list';
import type { FeedEntry } from '../hooks/use-status-feed';
import { formatMessage, type MessageKey } from '../i18n';
import { cameraName } from '../lib/status-store';
import { reasonText } from '../lib/status-reason';

export type PanelTab = 'inbox' | 'outbox' | 'dangers' | 'recheck' | 'events';
const TABS: Array<{ id: PanelTab; label: MessageKey }> = [
  { id: 'inbox', label: 'panel.inbox' },
  { id: 'outbox', label: 'panel.outbox' },
  { id: 'dangers', label: 'panel.dangers' },
  // 复查: re-checks due for my unit (closed dangers whose category asks for a second look).
  { id: 'recheck', label: 'closure.recheckTab' },
  { id: 'events', label: 'panel.events' },
];
const PAGE = 50;

interface Props {
  events: FeedEntry[];
  feed: DispatchFeed;
  now: number;
  openDanger: number | null;
  onOpen: (dangerId: number, taskId?: number) => void;
  collapsed: boolean;
  onToggle: () => void;
}

function ListFooter<T>({ list }: { list: PagedList<T> }) {
  const { t } = useI18n();
  if (list.error) {
    return (
      <div className="pane-message danger">
        {t('panel.loadFailed', { message: list.error })}{' '}
        <button type="button" className="link" onClick={list.reload}>
          {t('error.retry')}
        </button>
      </div>
    );
  }
  if (list.items.length < list.total) {
    return (
      <div className="cam-list-footer">
        <button type="button" className="link" onClick={list.more} disabled={list.loading}>
          {t('panel.loadMore', { shown: list.items.length, total: list.total })}
        </button>
      </div>
    );
  }
  return null;
}

export function SidePanelView({ events, feed, now, openDanger, onOpen, collapsed, onToggle }: Props) {
  const { t, lang } = useI18n();
  const [tab, setTab] = useState<PanelTab>('inbox');
  const [filter, setFilter] = useState<DangerFilter>({ category: '', status: '' });
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  const active = !collapsed;
  const inbox = usePagedList(
    useCallback((offset: number, signal: AbortSignal) => dispatchApi.tasks({ box: 'inbox', limit: PAGE, offset }, signal), []),
    'inbox', feed.version, active && tab === 'inbox',
  );
  const outbox = usePagedList(
    useCallback((offset: number, signal: AbortSignal) => dispatchApi.tasks({ box: 'outbox', limit: PAGE, offset }, signal), []),
    'outbox', feed.version, active && tab === 'outbox',
  );
  const dangers = usePagedList(
    useCallback(
      (offset: number, signal: AbortSignal) =>
        dispatchApi.dangers({ limit: PAGE, offset, category: filter.category || undefined, status: filter.status || undefined }, signal),
      [filter],
    ),
    `dangers:${filter.category}:${filter.status}`, feed.version, active && tab === 'dangers',
  );
  const tasks = tab === 'inbox' ? inbox : outbox;
  const rechecks = usePagedList(
    useCallback((offset: number, signal: AbortSignal) => dispatchApi.dangers({ recheck: 'due', limit: PAGE, offset }, signal), []),
    'recheck', feed.version, active && tab === 'recheck',
  );
  // The due count is the tab's badge: re-read with every dispatch event (a 复查 coming due is one), visible or not.
  const [dueRechecks, setDueRechecks] = useState(0);
  useEffect(() => {
    const abort = new AbortController();
    dispatchApi.dangers({ recheck: 'due', limit: 1 }, abort.signal).then((page) => setDueRechecks(page.total), () => undefined);
    return () => abort.abort();
  }, [feed.version]);

  // The events tab merges camera status changes and dispatch activity, newest first.
  const log = [
    ...events.map((e) => ({ key: `c${e.key}`, at: e.receivedAt, node: (
      <li key={`c${e.key}`} className={`event ${e.status}`} data-camera-id={e.cameraId}>
        <span className={`status-dot ${e.status}`} aria-hidden />
        <time>{time.format(e.receivedAt)}</time>
        <span className="event-text">
          {t('panel.statusEvent', { name: cameraName(e.cameraId) ?? `#${e.cameraId}`, status: t(`status.${e.status}`) })}
          {e.reason && <span className="muted"> · {reasonText(e.reason, t)}</span>}
        </span>
      </li>
    ) })),
    ...feed.activity.map((a) => ({ key: `d${a.key}`, at: a.at, node: (
      <li key={`d${a.key}`} className={`event dispatch ${a.tone}`} data-danger-id={a.dangerId}>
        <span className={`status-dot ${a.tone}`} aria-hidden />
        <time>{time.format(a.at)}</time>
        <span className="event-text">
          {a.dangerId ? (
            <button type="button" className="link" onClick={() => onOpen(a.dangerId!)}>
              {formatMessage(t, a.message)}
            </button>
          ) : formatMessage(t, a.message)}
        </span>
      </li>
    ) })),
  ].sort((a, b) => b.at - a.at);

  return (
    <aside className={`side-pane${collapsed ? ' collapsed' : ''}`} aria-label={t('panel.title')}>
      <button
        type="button"
        className="side-toggle"
        title={collapsed ? t('panel.expand') : t('panel.collapse')}
        aria-label={collapsed ? t('panel.expand') : t('panel.collapse')}
        aria-expanded={!collapsed}
        onClick={onToggle}
      >
        {collapsed ? '‹' : '›'}
      </button>
      {collapsed && feed.badge > 0 && (
        <span className="badge collapsed-badge" data-testid="inbox-badge" title={t('panel.badgeTitle', { count: feed.badge })}>
          {feed.badge}
        </span>
      )}
      {!collapsed && (
        <>
          <div className="tabs" role="tablist">
            {TABS.map(({ id, label }) => (
              <button key={id} type="button" role="tab" className="tab" aria-selected={tab === id} data-tab={id} onClick={() => setTab(id)}>
                {t(label)}
                {id === 'inbox' && feed.badge > 0 && (
                  <span className="badge" data-testid="inbox-badge" title={t('panel.badgeTitle', { count: feed.badge })}>
                    {feed.badge}
                  </span>
                )}
                {id === 'recheck' && dueRechecks > 0 && (
                  <span className="badge" data-testid="recheck-badge" title={t('closure.recheckBadge', { count: dueRechecks })}>
                    {dueRechecks}
                  </span>
                )}
              </button>
            ))}
          </div>
          {(tab === 'inbox' || tab === 'outbox') && (
            <div className="card-list" role="tabpanel" data-list={tab}>
              <ul>
                {tasks.items.map((task) => (
                  <TaskCard key={task.id} task={task} now={now} selected={openDanger === task.dangerId} onOpen={onOpen} />
                ))}
              </ul>
              {!tasks.loading && !tasks.error && tasks.items.length === 0 && <div className="pane-message muted">{t('panel.emptyTasks')}</div>}
              <ListFooter list={tasks} />
            </div>
          )}
          {tab === 'dangers' && (
            <div className="card-list" role="tabpanel" data-list="dangers">
              <DangerFilters value={filter} onChange={setFilter} />
              <ul>
                {dangers.items.map((d) => (
                  <DangerCard key={d.id} danger={d} now={now} selected={openDanger === d.id} onOpen={onOpen} />
                ))}
              </ul>
              {!dangers.loading && !dangers.error && dangers.items.length === 0 && <div className="pane-message muted">{t('panel.emptyDangers')}</div>}
              <ListFooter list={dangers} />
            </div>
          )}
          {tab === 'recheck' && (
            <div className="card-list" role="tabpanel" data-list="recheck">
              <ul>
                {rechecks.items.map((d) => (
                  <DangerCard key={d.id} danger={d} now={now} selected={openDanger === d.id} onOpen={onOpen} />
                ))}
              </ul>
              {!rechecks.loading && !rechecks.error && rechecks.items.length === 0 && <div className="pane-message muted">{t('closure.recheckEmpty')}</div>}
              <ListFooter list={rechecks} />
            </div>
          )}
          {tab === 'events' && (
            <ol className="event-list" role="tabpanel" data-list="events">
              {log.length === 0 && <li className="muted">{t('panel.noEvents')}</li>}
              {log.map((x) => x.node)}
            </ol>
          )}
        </>
      )}
    </aside>
  );
}
