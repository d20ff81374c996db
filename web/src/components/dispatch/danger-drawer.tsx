// Detail of one danger: evidence frame, where and when, every assignment the user may see with the actions the user
// may take, a 派单 form while the danger waits for one, and the full history. Re-read on every dispatch event.
import { useCallback, useEffect, useState } from 'react';
import { isDispatchable } from '../../../../server/domain/task-workflow';
import { describeError } from '../../api/http';
import { dispatchApi, type DangerDetail, type TaskAction } from '../../api/dispatch-api';
import { DangerClip } from './danger-clip';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import type { Message } from '../../i18n';
import { defaultDeadlineHours, fromLocalInput } from '../../lib/dispatch-logic';
import { DispatchFields, initialDispatch, type DispatchValue } from './dispatch-fields';
import { ClosureCompare, RecheckBox } from './closure-compare';
import { HistoryTimeline } from './history-timeline';
import { TaskActions } from './task-actions';
import { DeadlineLine } from './task-card';
import { unitLabel } from '../../lib/org-logic';

interface Props {
  dangerId: number;
  focusTaskId: number | null;
  version: number;
  now: number;
  onClose: () => void;
  onChanged: (message: Message) => void;
  onShowOnWall: (camera: { id: number; name: string; network: string; orgUnitId: number }) => void;
}

export function DangerDrawer({ dangerId, focusTaskId, version, now, onClose, onChanged, onShowOnWall }: Props) {
  const { t, lang } = useI18n();
  const { categoryLabel, severityLabel, canDispatch, taxonomy, targets } = useDispatch();
  const [detail, setDetail] = useState<DangerDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    dispatchApi.danger(dangerId, abort.signal).then(
      (d) => {
        setDetail(d);
        setError(null);
      },
      (err: unknown) => !abort.signal.aborted && setError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out on purpose: a language switch should not re-read the danger.
  }, [dangerId, version, reloads]);

  const done = useCallback(
    (action: TaskAction) => {
      setReloads((n) => n + 1);
      onChanged({ key: 'action.done', paramKeys: { action: `action.${action}` } });
    },
    [onChanged],
  );

  const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', hour12: false });
  const danger = detail?.danger;
  return (
    <aside className="drawer" aria-label={t('drawer.title')} data-testid="danger-drawer" data-danger-id={dangerId} data-status={danger?.status}>
      <header className="drawer-head">
        <h2>
          {t('danger.number', { id: dangerId })}
          {danger && <span className={`sev sev-${danger.severity}`}>{severityLabel(danger.severity)}</span>}
          {danger && <span>{categoryLabel(danger.category)}</span>}
        </h2>
        <button type="button" className="tile-close" aria-label={t('common.close')} title={t('common.close')} onClick={onClose} data-action="close-drawer">
          ×
        </button>
      </header>
      <div className="drawer-body">
        {error && <p className="danger" role="alert">{error}</p>}
        {!danger && !error && <p className="muted">{t('common.loading')}</p>}
        {danger && detail && (
          <>
            <figure className="evidence">
              <img src={danger.evidenceUrl} alt={t('drawer.evidence')} data-testid="evidence-image" />
            </figure>
            {detail.clip && <DangerClip clip={detail.clip} />}
            <dl className="facts">
              <dt>{t('tag.camera')}</dt>
              <dd>
                {danger.cameraName}{' '}
                <button
                  type="button"
                  className="link"
                  onClick={() => onShowOnWall({ id: danger.cameraId, name: danger.cameraName, network: danger.network, orgUnitId: danger.orgUnitId })}
                >
                  {t('drawer.openOnWall')}
                </button>
              </dd>
              <dt>{t('drawer.location')}</dt>
              <dd>{[danger.orgUnitName, danger.address].filter(Boolean).join(' · ')}</dd>
              <dt>{t('tag.capturedAt')}</dt>
              <dd>{fmt.format(new Date(danger.capturedAt))}</dd>
              <dt>{t('drawer.reportedBy')}</dt>
              <dd>
                {danger.createdBy}
                {danger.origin === 'resident' && <span className="origin-chip" data-origin="resident">{t('closure.originResident')}</span>}
              </dd>
              {danger.note && (
                <>
                  <dt>{t('tag.note')}</dt>
                  <dd>{danger.note}</dd>
                </>
              )}
            </dl>
            <RecheckBox danger={danger} now={now} onDone={(verdict) => {
              setReloads((n) => n + 1);
              onChanged({ key: verdict === 'pass' ? 'closure.passed' : 'closure.failed' });
            }} />
            {canDispatch && isDispatchable(danger.status) && targets.length > 0 && (
              <DispatchDanger dangerId={danger.id} severity={danger.severity} camera={{ id: danger.cameraId, name: danger.cameraName, orgUnitId: danger.orgUnitId }} taxonomyHours={defaultDeadlineHours(taxonomy, danger.severity)} onDone={(unit) => {
                setReloads((n) => n + 1);
                onChanged({ key: 'dispatch.done', params: { unit } });
              }} />
            )}
            <h3>{t('drawer.tasks')}</h3>
            <ul className="task-chain">
              {detail.tasks.map((task) => (
                <li key={task.id} className={`chain-item${task.id === focusTaskId ? ' focus' : ''}`} data-task-id={task.id} data-status={task.status}>
                  <div className="card-row">
                    <b>{t('task.number', { id: task.id })}</b>
                    <span className={`status-chip st-${task.status}`}>{t(`taskStatus.${task.status}`)}</span>
                  </div>
                  <div className="small">{t('task.route', { from: task.fromUnitName, to: task.toUnitName })}</div>
                  <div className="small"><DeadlineLine task={task} now={now} /></div>
                  {task.note && <p className="note">{task.note}</p>}
                  {task.returnReason && <p className="note warn-text"><span className="muted">{t('drawer.returnReason')}</span> {task.returnReason}</p>}
                  {task.feedback && <p className="note"><span className="muted">{t('drawer.feedback')}</span> {task.feedback}</p>}
                  {task.feedbackPhotoUrl && <img className="photo-preview" src={task.feedbackPhotoUrl} alt={t('drawer.feedbackPhoto')} />}
                  <ClosureCompare danger={danger} task={task} />
                  <TaskActions task={task} severity={danger.severity} camera={{ id: danger.cameraId, name: danger.cameraName, orgUnitId: danger.orgUnitId }} onDone={done} />
                </li>
              ))}
            </ul>
            <h3>{t('drawer.history')}</h3>
            <HistoryTimeline entries={detail.history} />
          </>
        )}
      </div>
    </aside>
  );
}

interface DispatchProps {
  dangerId: number;
  severity: DangerDetail['danger']['severity'];
  camera: { id: number; name: string; orgUnitId: number };
  taxonomyHours: number;
  onDone: (unitName: string) => void;
}

function DispatchDanger({ dangerId, severity, camera, taxonomyHours, onDone }: DispatchProps) {
  const { t, lang } = useI18n();
  const { targets } = useDispatch();
  const [value, setValue] = useState<DispatchValue>(() => initialDispatch(taxonomyHours));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    if (value.toUnitId === null) return setError(t('dispatch.chooseUnit'));
    setBusy(true);
    setError(null);
    try {
      await dispatchApi.dispatchDanger(dangerId, { toUnitId: value.toUnitId, deadline: fromLocalInput(value.deadline), note: value.note.trim() || undefined });
      const target = targets.find((u) => u.id === value.toUnitId);
      onDone(target ? unitLabel(target, lang) : '');
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="dispatch-box" data-testid="dispatch-form">
      <DispatchFields value={value} onChange={setValue} severity={severity} camera={camera} />
      <button type="button" className="btn small primary" data-action="dispatch" disabled={busy} onClick={() => void submit()}>
        {busy ? t('common.saving') : t('dispatch.submit')}
      </button>
      {error && <p className="danger small" role="alert" data-testid="action-error">{error}</p>}
    </section>
  );
}
