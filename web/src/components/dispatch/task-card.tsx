// One task in the inbox/outbox, or one danger in the dangers tab: status, deadline (red when overdue), route.
import { recheckStage } from '../../../../server/domain/closure-rules';
import type { Danger, TaskWithDanger } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { formatDuration, isOverdue } from '../../lib/dispatch-logic';
import type { MessageKey } from '../../i18n';

interface Deadline {
  status: TaskWithDanger['status'];
  overdue: boolean;
  deadline: string;
}

export function DeadlineLine({ task, now }: { task: Deadline; now: number }) {
  const { t, lang } = useI18n();
  const overdue = isOverdue(task, now);
  const left = (Date.parse(task.deadline) - now) / 1000;
  const when = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(task.deadline));
  const fmt = (key: MessageKey, params?: Record<string, number>) => t(key, params);
  return (
    <span className={`deadline${overdue ? ' overdue' : ''}`} data-overdue={overdue || undefined}>
      {t('task.deadline', { time: when })}
      {overdue ? (
        <b> · {t('task.overdueBy', { duration: formatDuration(-left, fmt) })}</b>
      ) : task.status === 'dispatched' || task.status === 'accepted' || task.status === 'handling' || task.status === 'delegated' ? (
        <span> · {t('task.left', { duration: formatDuration(left, fmt) })}</span>
      ) : null}
    </span>
  );
}

interface TaskProps {
  task: TaskWithDanger;
  now: number;
  selected: boolean;
  onOpen: (dangerId: number, taskId: number) => void;
}

export function TaskCard({ task, now, selected, onOpen }: TaskProps) {
  const { t } = useI18n();
  const { categoryLabel, severityLabel } = useDispatch();
  const overdue = isOverdue(task, now);
  return (
    <li>
      <button
        type="button"
        className={`card task-card${overdue ? ' overdue' : ''}${selected ? ' selected' : ''}`}
        data-task-id={task.id}
        data-danger-id={task.dangerId}
        data-status={task.status}
        data-overdue={overdue || undefined}
        onClick={() => onOpen(task.dangerId, task.id)}
      >
        <span className="card-row">
          <span className={`sev sev-${task.severity}`}>{severityLabel(task.severity)}</span>
          <b className="card-title">{categoryLabel(task.category)}</b>
          <span className={`status-chip st-${task.status}`}>{t(`taskStatus.${task.status}`)}</span>
        </span>
        <span className="card-row muted ellipsis">{task.cameraName}</span>
        <span className="card-row small">
          <span className="ellipsis">{t('task.route', { from: task.fromUnitName, to: task.toUnitName })}</span>
        </span>
        <span className="card-row small">
          <DeadlineLine task={task} now={now} />
        </span>
      </button>
    </li>
  );
}

interface DangerProps {
  danger: Danger;
  now: number;
  selected: boolean;
  onOpen: (dangerId: number) => void;
}

export function DangerCard({ danger, now, selected, onOpen }: DangerProps) {
  const { t, lang } = useI18n();
  const { categoryLabel, severityLabel } = useDispatch();
  const status = danger.status === 'reported' ? t('dangerStatus.reported') : t(`taskStatus.${danger.status}`);
  const overdue = danger.task ? isOverdue(danger.task, now) : false;
  const when = new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(danger.capturedAt));
  return (
    <li>
      <button
        type="button"
        className={`card danger-card${overdue ? ' overdue' : ''}${selected ? ' selected' : ''}`}
        data-danger-id={danger.id}
        data-status={danger.status}
        onClick={() => onOpen(danger.id)}
      >
        <span className="card-row">
          <span className={`sev sev-${danger.severity}`}>{severityLabel(danger.severity)}</span>
          <b className="card-title">{categoryLabel(danger.category)}</b>
          <span className={`status-chip st-${danger.status}`}>{status}</span>
        </span>
        {(danger.origin === 'resident' || danger.recheckStatus) && (
          <span className="card-row small">
            {danger.origin === 'resident' && <span className="origin-chip" data-origin="resident">{t('closure.originResident')}</span>}
            {danger.recheckStatus && <RecheckChip danger={danger} now={now} />}
          </span>
        )}
        <span className="card-row muted ellipsis">{danger.cameraName}</span>
        <span className="card-row small muted">
          <span>{when}</span>
          {danger.task && <span className="ellipsis"> · {danger.task.toUnitName}</span>}
        </span>
      </button>
    </li>
  );
}

/** 复查 state of a closed danger: waiting (with its date), due, passed or failed. */
export function RecheckChip({ danger, now }: { danger: Pick<Danger, 'recheckStatus' | 'recheckDueAt'>; now: number }) {
  const { t, lang } = useI18n();
  const stage = recheckStage(danger, now);
  if (stage === 'none') return null;
  const date = danger.recheckDueAt ? new Intl.DateTimeFormat(lang, { month: '2-digit', day: '2-digit', hour12: false }).format(new Date(danger.recheckDueAt)) : '';
  return (
    <span className={`recheck-chip rc-${stage}`} data-recheck={stage}>
      {t(`closure.stage.${stage}`, { date })}
    </span>
  );
}
