// Right pane: live status events now; dispatch tasks come later.
import { useI18n } from '../hooks/use-i18n';
import type { FeedEntry } from '../hooks/use-status-feed';
import { cameraName } from '../lib/status-store';

interface Props {
  events: FeedEntry[];
  collapsed: boolean;
  onToggle: () => void;
}

export function SidePanelView({ events, collapsed, onToggle }: Props) {
  const { t, lang } = useI18n();
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
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
      {!collapsed && (
        <>
          <header className="pane-title">{t('panel.events')}</header>
          <ol className="event-list">
            {events.length === 0 && <li className="muted">{t('panel.noEvents')}</li>}
            {events.map((e) => (
              <li key={e.key} className={`event ${e.status}`} data-camera-id={e.cameraId}>
                <span className={`status-dot ${e.status}`} aria-hidden />
                <time>{time.format(e.receivedAt)}</time>
                <span className="event-text">
                  {t('panel.statusEvent', { name: cameraName(e.cameraId) ?? `#${e.cameraId}`, status: t(`status.${e.status}`) })}
                  {e.reason && <span className="muted"> · {e.reason}</span>}
                </span>
              </li>
            ))}
          </ol>
          <header className="pane-title">{t('panel.dispatches')}</header>
          <div className="pane-message muted">{t('panel.placeholder')}</div>
        </>
      )}
    </aside>
  );
}
