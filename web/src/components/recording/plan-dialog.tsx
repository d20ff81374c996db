// 录像计划 of one camera: mode (inherit the unit's / network's default, off, continuous, weekly schedule, event),
// stream, retention days, the weekly grid and event pre/post roll; shows the effective plan, where it comes from
// and the recorder's state. Editors save; others see it read-only (the server answers 403 to them anyway).
import { useEffect, useState } from 'react';
import {
  DEFAULT_POST_ROLL_SEC, DEFAULT_PRE_ROLL_SEC, emptyPlan, MAX_POST_ROLL_SEC, MAX_PRE_ROLL_SEC, planProblem, type WeeklyPlan,
} from '../../../../server/domain/recording-plan';
import { describeError } from '../../api/http';
import { recordingsApi, type RecordingSettings, type RecordingSettingsBody } from '../../api/recordings-api';
import { useI18n } from '../../hooks/use-i18n';
import { Modal } from '../common/modal';
import { WeekGrid } from './week-grid';

interface Props {
  cameraId: number;
  cameraName: string;
  canEdit: boolean;
  onClose: () => void;
}

type Mode = RecordingSettingsBody['mode'];
const MODES: Mode[] = ['inherit', 'off', 'continuous', 'schedule', 'event'];

export function RecordingPlanDialog({ cameraId, cameraName, canEdit, onClose }: Props) {
  const { t } = useI18n();
  const [current, setCurrent] = useState<RecordingSettings | null>(null);
  const [mode, setMode] = useState<Mode>('inherit');
  const [stream, setStream] = useState<'main' | 'sub'>('main');
  const [retentionDays, setRetentionDays] = useState(7);
  const [schedule, setSchedule] = useState<WeeklyPlan>(emptyPlan());
  const [preRollSec, setPreRoll] = useState(DEFAULT_PRE_ROLL_SEC);
  const [postRollSec, setPostRoll] = useState(DEFAULT_POST_ROLL_SEC);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = (s: RecordingSettings) => {
    setCurrent(s);
    const p = s.own ?? s.effective;
    setMode(s.own ? s.own.mode : 'inherit');
    setStream(p.stream);
    setRetentionDays(p.retentionDays);
    setSchedule(p.schedule ?? emptyPlan());
    setPreRoll(p.preRollSec);
    setPostRoll(p.postRollSec);
  };

  useEffect(() => {
    const ac = new AbortController();
    recordingsApi.settings(cameraId, ac.signal).then(load).catch((err) => !ac.signal.aborted && setError(describeError(err, t)));
    return () => ac.abort();
  }, [cameraId, t]);

  const save = async () => {
    if (mode === 'schedule') {
      const problem = planProblem(schedule);
      if (problem) return setError(problem.message);
      if (schedule.days.every((d) => d.length === 0)) return setError(t('recplan.emptySchedule'));
    }
    setBusy(true);
    setError(null);
    try {
      const body: RecordingSettingsBody = mode === 'inherit' ? { mode } : { mode, stream, retentionDays, schedule: mode === 'schedule' ? schedule : undefined, preRollSec, postRollSec };
      load(await recordingsApi.save(cameraId, body));
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const readOnly = !canEdit || busy;
  const own = mode !== 'inherit';
  const footer = (
    <>
      <span className="modal-error danger" role="alert" data-testid="dialog-error">{error ?? ''}</span>
      <button type="button" className="btn" onClick={onClose}>{t('common.close')}</button>
      {canEdit && (
        <button type="button" className="btn primary" data-action="save-plan" disabled={busy || !current} onClick={() => void save()}>
          {busy ? t('common.saving') : t('recplan.save')}
        </button>
      )}
    </>
  );

  return (
    <Modal title={t('recplan.title', { name: cameraName })} onClose={onClose} footer={footer} wide testId="recording-plan-dialog">
      {!current && !error && <p className="muted">{t('common.loading')}</p>}
      {current && (
        <div className="form-col recplan">
          <p className="recplan-effective" data-testid="recplan-effective" data-mode={current.effective.mode} data-source={current.source} data-state={current.state}>
            {t('recplan.effective', { mode: t(`recplan.mode.${current.effective.mode}`), source: t(`recplan.source.${current.source}`) })}
            {' · '}
            {t(`recplan.state.${current.state}`)}
            {current.reason && <span className="muted"> ({current.reason})</span>}
            {current.pinned && <span className="muted"> · {t('recplan.pinned')}</span>}
            {current.nextChange && <span className="muted"> · {t('recplan.nextChange', { time: new Date(current.nextChange).toLocaleString() })}</span>}
          </p>
          <label className="field">
            <span>{t('recplan.modeLabel')}</span>
            <select data-field="recplan-mode" value={mode} disabled={readOnly} onChange={(e) => setMode(e.target.value as Mode)}>
              {MODES.map((m) => <option key={m} value={m}>{t(`recplan.mode.${m}`)}</option>)}
            </select>
          </label>
          {own && mode !== 'off' && (
            <>
              <label className="field">
                <span>{t('recplan.stream')}</span>
                <select data-field="recplan-stream" value={stream} disabled={readOnly} onChange={(e) => setStream(e.target.value as 'main' | 'sub')}>
                  <option value="main">{t('recplan.streamMain')}</option>
                  <option value="sub">{t('recplan.streamSub')}</option>
                </select>
              </label>
              <label className="field">
                <span>{t('recplan.retention')}</span>
                <input type="number" data-field="recplan-retention" min={1} max={3650} value={retentionDays} disabled={readOnly} onChange={(e) => setRetentionDays(Number(e.target.value))} />
              </label>
            </>
          )}
          {mode === 'schedule' && (
            <div className="field">
              <span>{t('recplan.grid')}</span>
              <p className="muted small">{t('recplan.gridHint')}</p>
              <WeekGrid plan={schedule} onChange={setSchedule} disabled={readOnly} />
            </div>
          )}
          {mode === 'event' && (
            <>
              <p className="muted small">{t('recplan.eventHint')}</p>
              <label className="field">
                <span>{t('recplan.preRoll')}</span>
                <input type="number" data-field="recplan-pre" min={0} max={MAX_PRE_ROLL_SEC} value={preRollSec} disabled={readOnly} onChange={(e) => setPreRoll(Number(e.target.value))} />
              </label>
              <label className="field">
                <span>{t('recplan.postRoll')}</span>
                <input type="number" data-field="recplan-post" min={0} max={MAX_POST_ROLL_SEC} value={postRollSec} disabled={readOnly} onChange={(e) => setPostRoll(Number(e.target.value))} />
              </label>
            </>
          )}
          {mode === 'inherit' && <p className="muted small">{t('recplan.inheritHint')}</p>}
        </div>
      )}
    </Modal>
  );
}
