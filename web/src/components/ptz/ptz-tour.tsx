// 巡航 in the presets menu: tick the presets the camera should visit in turn, one dwell time for each, start, stop
// or delete. The server runs the tour while nobody steers the camera (server/ptz/service.ts).
import { useEffect, useState } from 'react';
import { TOUR_DWELL_MAX_SEC, TOUR_DWELL_MIN_SEC } from '../../../../server/domain/ptz-lock';
import { ApiError } from '../../api/http';
import { ptzApi, type PtzPreset, type PtzTour } from '../../api/ptz-api';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  cameraId: number;
  presets: PtzPreset[];
  run(action: () => Promise<void>): Promise<void>;
}

export function PtzTourEditor({ cameraId, presets, run }: Props) {
  const { t } = useI18n();
  const [tour, setTour] = useState<PtzTour | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [dwell, setDwell] = useState(15);

  useEffect(() => {
    const ac = new AbortController();
    ptzApi.tour(cameraId, ac.signal).then((found) => {
      setTour(found);
      setPicked(found.steps.map((s) => s.token));
      setDwell(found.steps[0]?.dwellSec ?? 15);
    }, (err) => {
      if (err instanceof ApiError && err.status === 404) setTour(null);
    });
    return () => ac.abort();
  }, [cameraId]);

  const toggle = (token: string) => setPicked((p) => (p.includes(token) ? p.filter((x) => x !== token) : [...p, token]));
  const save = (enabled: boolean) => run(async () => {
    const steps = presets.filter((p) => picked.includes(p.token)).map((p) => ({ token: p.token, dwellSec: dwell }));
    setTour(await ptzApi.saveTour(cameraId, { steps, enabled }));
  });

  return (
    <div className="ptz-tour" data-testid="ptz-tour">
      <div className="ptz-tour-head">
        <strong>{t('ptz.tour')}</strong>
        <span className="muted">{tour?.enabled ? t('ptz.tourOn', { count: tour.steps.length, sec: tour.steps[0]?.dwellSec ?? 0 }) : t('ptz.tourOff')}</span>
      </div>
      <ul>
        {presets.map((p) => (
          <li key={p.token}>
            <label>
              <input type="checkbox" checked={picked.includes(p.token)} onChange={() => toggle(p.token)} data-token={p.token} />
              {p.name || p.token}
            </label>
          </li>
        ))}
      </ul>
      <label className="ptz-tour-dwell">
        {t('ptz.tourDwell')}
        <input type="number" min={TOUR_DWELL_MIN_SEC} max={TOUR_DWELL_MAX_SEC} value={dwell}
          onChange={(e) => setDwell(Math.min(TOUR_DWELL_MAX_SEC, Math.max(TOUR_DWELL_MIN_SEC, Math.round(Number(e.target.value) || TOUR_DWELL_MIN_SEC))))}
          onKeyDown={(e) => e.stopPropagation()} />
      </label>
      <div className="ptz-tour-actions">
        <button type="button" className="btn small" data-action="ptz-tour-start" disabled={picked.length === 0} onClick={() => void save(true)}>{t('ptz.tourStart')}</button>
        {tour?.enabled && <button type="button" className="btn small" data-action="ptz-tour-stop" onClick={() => void save(false)}>{t('ptz.tourStop')}</button>}
        {tour && (
          <button type="button" className="btn small" data-action="ptz-tour-delete"
            onClick={() => void run(async () => { await ptzApi.deleteTour(cameraId); setTour(null); setPicked([]); })}>{t('ptz.tourDelete')}</button>
        )}
      </div>
    </div>
  );
}
