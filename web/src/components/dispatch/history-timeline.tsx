// A danger's audit trail, oldest first: who did what, when, with which note.
import type { HistoryEntry } from '../../api/dispatch-api';
import { useI18n } from '../../hooks/use-i18n';
import type { MessageKey } from '../../i18n';

const ACTION_KEYS: Record<string, MessageKey> = {
  created: 'history.created', dispatch: 'history.dispatch', overdue: 'history.overdue', cascade: 'history.cascade',
  accept: 'action.accept', handle: 'action.handle', redispatch: 'action.redispatch', resolve: 'action.resolve',
  close: 'action.close', reject: 'action.reject', return: 'action.return', escalate: 'action.escalate',
};

const STATUS_KEYS = new Set(['dispatched', 'accepted', 'delegated', 'handling', 'resolved', 'closed', 'returned', 'escalated']);

export function HistoryTimeline({ entries }: { entries: HistoryEntry[] }) {
  const { t, lang } = useI18n();
  const fmt = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
  return (
    <ol className="timeline" data-testid="history">
      {entries.map((e) => {
        const key = ACTION_KEYS[e.action];
        const status = e.toStatus && STATUS_KEYS.has(e.toStatus) ? t(`taskStatus.${e.toStatus as 'closed'}`) : null;
        const actor = e.actorName ? (e.actorUnitName ? `${e.actorName} · ${e.actorUnitName}` : e.actorName) : t('drawer.system');
        return (
          <li key={e.id} data-action={e.action} data-task-id={e.taskId ?? undefined}>
            <time>{fmt.format(new Date(e.at))}</time>
            <div>
              <b>{key ? t(key) : e.action}</b>
              {status && <span className="muted"> → {status}</span>}
              <span className="muted small"> · {actor}</span>
              {e.note && <p className="note">{e.note}</p>}
            </div>
          </li>
        );
      })}
    </ol>
  );
}
