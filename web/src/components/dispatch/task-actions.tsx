// The buttons for what the signed-in unit may do with one task, and the small form some actions need
// (reason for 退回/驳回, feedback and photo for 反馈, target for 转派). Server refusals (403/409) are shown as sent.
import { useState } from 'react';
import { MAX_FEEDBACK_LENGTH, MAX_REASON_LENGTH } from '../../../../server/domain/dispatch-limits';
import { describeError } from '../../api/http';
import { dispatchApi, type ActionBody, type Severity, type TaskAction, type TaskSummary } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { ACTION_INPUT, availableActions, defaultDeadlineHours, fromLocalInput } from '../../lib/dispatch-logic';
import { photoToJpeg } from '../../lib/frame-capture';
import { DispatchFields, initialDispatch, type DispatchValue } from './dispatch-fields';

interface Props {
  task: TaskSummary;
  severity: Severity;
  camera: { id: number; name: string; orgUnitId?: number };
  onDone: (action: TaskAction) => void;
}

export function TaskActions({ task, severity, camera, onDone }: Props) {
  const { t } = useI18n();
  const { unit, canDispatch, taxonomy } = useDispatch();
  const [open, setOpen] = useState<TaskAction | null>(null);
  const [text, setText] = useState('');
  const [photo, setPhoto] = useState<string | undefined>();
  const [target, setTarget] = useState<DispatchValue>(() => initialDispatch(defaultDeadlineHours(taxonomy, severity)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!unit) return null;
  const actions = availableActions(task, { unitId: unit.id, canDispatch });
  if (actions.length === 0) return <p className="muted small">{t('drawer.noActions')}</p>;

  const run = async (action: TaskAction) => {
    const input = ACTION_INPUT[action];
    let body: ActionBody = {};
    if (input === 'reason') {
      if (!text.trim()) return setError(t('action.reasonRequired'));
      body = { reason: text.trim() };
    } else if (input === 'feedback') {
      if (!text.trim()) return setError(t('action.feedbackRequired'));
      body = { feedback: text.trim(), ...(photo ? { photoJpeg: photo } : {}) };
    } else if (input === 'dispatch') {
      if (target.toUnitId === null) return setError(t('dispatch.chooseUnit'));
      body = { toUnitId: target.toUnitId, deadline: fromLocalInput(target.deadline), note: target.note.trim() || undefined };
    } else if (text.trim()) {
      body = { note: text.trim() };
    }
    setBusy(true);
    setError(null);
    try {
      await dispatchApi.act(task.id, action, body);
      setOpen(null);
      setText('');
      setPhoto(undefined);
      onDone(action);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const choose = (action: TaskAction) => {
    setError(null);
    if (ACTION_INPUT[action]) return setOpen(open === action ? null : action);
    void run(action);
  };

  const input = open ? ACTION_INPUT[open] : undefined;
  return (
    <div className="task-actions" data-task-id={task.id}>
      <div className="action-buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className={`btn small${action === actions[0] ? ' primary' : ''}${action === 'return' || action === 'reject' || action === 'escalate' ? ' warn' : ''}`}
            data-action={action}
            aria-expanded={ACTION_INPUT[action] ? open === action : undefined}
            disabled={busy}
            onClick={() => choose(action)}
          >
            {t(`action.${action}`)}
          </button>
        ))}
      </div>
      {open && (
        <div className="action-form" data-form={open}>
          {(input === 'reason' || input === 'feedback') && (
            <label className="field">
              <span>{input === 'reason' ? t('action.reason') : t('action.feedback')}</span>
              <textarea data-field={input} rows={3} maxLength={input === 'reason' ? MAX_REASON_LENGTH : MAX_FEEDBACK_LENGTH} value={text} onChange={(e) => setText(e.target.value)} />
            </label>
          )}
          {input === 'feedback' && (
            <label className="field">
              <span>{t('action.photo')}</span>
              <input
                type="file"
                accept="image/*"
                data-field="photo"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (!file) return setPhoto(undefined);
                  photoToJpeg(file).then(setPhoto, (err: unknown) => setError(t('action.photoFailed', { message: String(err) })));
                }}
              />
              {photo && <img className="photo-preview" src={photo} alt={t('action.photo')} />}
            </label>
          )}
          {input === 'dispatch' && <DispatchFields value={target} onChange={setTarget} severity={severity} camera={camera} maxDeadline={task.deadline} />}
          <div className="action-buttons">
            <button type="button" className="btn small primary" data-action="confirm" disabled={busy} onClick={() => void run(open)}>
              {busy ? t('common.saving') : t('action.confirm', { action: t(`action.${open}`) })}
            </button>
            <button type="button" className="btn small ghost" onClick={() => setOpen(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="danger small" role="alert" data-testid="action-error">
          {error}
        </p>
      )}
    </div>
  );
}
