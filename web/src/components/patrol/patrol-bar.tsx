// The patrol in progress, above the wall: plan, camera n of N, seconds played against the dwell, and the three
// marks (正常 after the dwell; 画面异常 and 发现隐患 at once), the cameras as a strip to go back to one, pause and
// complete.
import { useState } from 'react';
import { patrolApi, type PatrolColleague } from '../../api/patrol-api';
import type { PatrolRunControl } from '../../hooks/use-patrol-run';
import { useI18n } from '../../hooks/use-i18n';
import { canMarkNormal } from '../../lib/patrol-logic';
import '../../styles/patrol.css';

interface Props {
  patrol: PatrolRunControl;
  onDanger: () => void;
}

export function PatrolBar({ patrol, onDanger }: Props) {
  const { t } = useI18n();
  const { detail, index, playedSec, busy } = patrol;
  const [colleagues, setColleagues] = useState<PatrolColleague[] | null>(null);
  if (!detail) return null;
  const openHandover = () => {
    setColleagues([]);
    patrolApi.colleagues(detail.run.id).then(setColleagues, () => setColleagues(null));
  };
  const { run, cameras, marks } = detail;
  const markOf = new Map(marks.map((m) => [m.cameraId, m.result]));
  const camera = index >= 0 ? cameras[index] : undefined;
  const allMarked = cameras.every((c) => markOf.has(c.id));
  const dwellDone = canMarkNormal(playedSec, run.dwellSec);
  return (
    <section className="patrol-bar" data-testid="patrol-bar" data-run-id={run.id} aria-label={t('patrol.bar.title')}>
      <div className="patrol-head">
        <b>{t('patrol.bar.title')}</b> <span data-field="plan">{run.planName}</span>
        <span className="muted" data-field="progress">{t('patrol.bar.progress', { marked: marks.length, total: cameras.length })}</span>
      </div>
      {camera ? (
        <div className="patrol-current" data-camera-id={camera.id}>
          <span className="patrol-camera">{t('patrol.bar.camera', { n: index + 1, total: cameras.length, name: camera.name })}</span>
          <span className={`patrol-dwell${dwellDone ? ' done' : ''}`} data-field="played" data-played={playedSec.toFixed(1)}>
            {t('patrol.bar.played', { played: Math.floor(playedSec), dwell: run.dwellSec })}
          </span>
          <button type="button" className="btn small primary" data-mark="normal" disabled={busy || !dwellDone} onClick={() => void patrol.mark('normal')}
            title={dwellDone ? undefined : t('patrol.bar.waitDwell', { dwell: run.dwellSec })}>
            {t('patrol.mark.normal')}
          </button>
          <button type="button" className="btn small danger" data-mark="danger" disabled={busy} onClick={onDanger}>{t('patrol.mark.danger')}</button>
          <button type="button" className="btn small" data-mark="abnormal" disabled={busy} onClick={() => void patrol.mark('abnormal')}>{t('patrol.mark.abnormal')}</button>
        </div>
      ) : (
        <div className="patrol-current"><span className="muted">{t('patrol.bar.allMarked')}</span></div>
      )}
      <ol className="patrol-strip" aria-label={t('patrol.bar.cameras')}>
        {cameras.map((c, i) => (
          <li key={c.id}>
            <button type="button" className={`patrol-dot ${markOf.get(c.id) ?? 'open'}`} aria-current={i === index} title={c.name}
              data-camera-id={c.id} onClick={() => patrol.select(i)}>
              {i + 1}
            </button>
          </li>
        ))}
      </ol>
      <div className="patrol-actions">
        <button type="button" className="btn small" data-action="pause" disabled={busy} onClick={() => void patrol.pause()}>{t('patrol.action.pause')}</button>
        {colleagues === null ? (
          <button type="button" className="btn small" data-action="handover" disabled={busy} onClick={openHandover}>{t('patrol.action.handover')}</button>
        ) : (
          <select
            data-field="handover-to"
            aria-label={t('patrol.action.handover')}
            value=""
            onChange={(e) => {
              const to = colleagues.find((c) => c.id === Number(e.target.value));
              setColleagues(null);
              if (to) void patrol.handover(to.id, to.displayName);
            }}
            onBlur={() => setColleagues(null)}
          >
            <option value="">{colleagues.length ? t('patrol.handover.choose') : t('patrol.handover.none')}</option>
            {colleagues.map((c) => <option key={c.id} value={c.id}>{c.displayName}（{c.orgUnitName}）</option>)}
          </select>
        )}
        <button type="button" className="btn small primary" data-action="complete" disabled={busy || !allMarked} onClick={() => void patrol.complete()}>
          {t('patrol.action.complete')}
        </button>
      </div>
    </section>
  );
}
