// 复核 and 复查 in the danger drawer. The comparison puts the frame the danger was tagged on beside the frame the
// server grabbed when the task was reported handled (or says why there is none), so the dispatching level approves
// (办结) or returns (驳回) with both in view — those buttons stay the task's own (task-actions.tsx). The re-check box
// shows where a closed danger's 复查 stands and, for the unit that closed it once due, the pass / fail verdict.
import { useState } from 'react';
import { canRecheck, recheckStage } from '../../../../server/domain/closure-rules';
import { MAX_NOTE_LENGTH } from '../../../../server/domain/dispatch-limits';
import { describeError } from '../../api/http';
import { dispatchApi, type Danger, type TaskSummary } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import type { MessageKey } from '../../i18n';

/** Reasons the snapshot path gives (server/media/snapshot.ts), in the reader's words; others are shown as sent. */
const FRAME_REASONS: Record<string, MessageKey> = {
  'no source': 'closure.reason.noSource',
  timeout: 'closure.reason.timeout',
  busy: 'closure.reason.busy',
  'no snapshot service': 'closure.reason.noSource',
};

export function ClosureCompare({ danger, task }: { danger: Danger; task: TaskSummary }) {
  const { t, lang } = useI18n();
  // Only once reported handled; a task resolved before frames were kept (#21) has neither a frame nor a reason.
  if (!task.resolvedAt || (!task.closureFrameUrl && !task.closureFrameError)) return null;
  const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'medium', hour12: false });
  const reason = task.closureFrameError ? (FRAME_REASONS[task.closureFrameError] ? t(FRAME_REASONS[task.closureFrameError]) : task.closureFrameError) : '';
  return (
    <div className="closure-compare" data-testid="closure-compare" data-task-id={task.id}>
      <figure>
        <img src={danger.evidenceUrl} alt={t('closure.before')} data-testid="compare-before" />
        <figcaption>{t('closure.before')} · {fmt.format(new Date(danger.capturedAt))}</figcaption>
      </figure>
      <figure>
        {task.closureFrameUrl ? (
          <img src={task.closureFrameUrl} alt={t('closure.after')} data-testid="compare-after" />
        ) : (
          <div className="no-frame" data-testid="compare-no-frame">{t('closure.noFrame', { reason })}</div>
        )}
        <figcaption>
          {t('closure.after')}
          {task.closureFrameAt && <> · {fmt.format(new Date(task.closureFrameAt))}</>}
        </figcaption>
      </figure>
    </div>
  );
}

export function RecheckBox({ danger, now, onDone }: { danger: Danger; now: number; onDone: (verdict: 'pass' | 'fail') => void }) {
  const { t, lang } = useI18n();
  const { unit } = useDispatch();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stage = recheckStage(danger, now);
  if (stage === 'none') return null;
  const may = unit ? canRecheck(danger, unit.id, now) : false;
  const due = danger.recheckDueAt ? new Intl.DateTimeFormat(lang, { dateStyle: 'medium', hour12: false }).format(new Date(danger.recheckDueAt)) : '';

  const decide = async (verdict: 'pass' | 'fail') => {
    if (verdict === 'fail' && !note.trim()) return setError(t('closure.failNeedsNote'));
    setBusy(true);
    setError(null);
    try {
      await dispatchApi.recheck(danger.id, { verdict, note: note.trim() || undefined });
      setNote('');
      onDone(verdict);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="recheck-box" data-testid="recheck-box" data-recheck={stage}>
      <h3>{t('closure.recheckTitle')}</h3>
      <p className="small">{t(`closure.stageLong.${stage}`, { date: due })}</p>
      {may && (
        <>
          {/* The look itself: the tag frame beside the camera now (a snapshot; it starts no relay). */}
          <div className="closure-compare" data-testid="recheck-compare">
            <figure>
              <img src={danger.evidenceUrl} alt={t('closure.before')} />
              <figcaption>{t('closure.before')}</figcaption>
            </figure>
            <figure>
              <img src={`/api/cameras/${danger.cameraId}/snapshot.jpg?t=${Math.floor(now / 60_000)}`} alt={t('closure.now')} data-testid="recheck-now" />
              <figcaption>{t('closure.now')}</figcaption>
            </figure>
          </div>
          <label className="field">
            <span>{t('closure.recheckNote')}</span>
            <textarea rows={2} maxLength={MAX_NOTE_LENGTH} value={note} data-field="recheck-note" onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="action-buttons">
            <button type="button" className="btn small primary" data-action="recheck-pass" disabled={busy} onClick={() => void decide('pass')}>
              {t('closure.pass')}
            </button>
            <button type="button" className="btn small warn" data-action="recheck-fail" disabled={busy} onClick={() => void decide('fail')}>
              {t('closure.fail')}
            </button>
          </div>
        </>
      )}
      {error && <p className="danger small" role="alert">{error}</p>}
    </section>
  );
}
