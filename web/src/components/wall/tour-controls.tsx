// 轮巡 in the wall toolbar: choose what to cycle (the selected unit's cameras or a saved layout) and how fast;
// while running: page, countdown, previous / pause / next / stop.
import { useState } from 'react';
import type { SavedLayout } from '../../api/dispatch-api';
import { useI18n } from '../../hooks/use-i18n';
import type { Tour, TourSource } from '../../hooks/use-tour';
import { TOUR_INTERVALS, type TourIntervalSec } from '../../lib/tour';
import { Popover } from '../common/popover';

interface Props {
  tour: Tour;
  unit: { id: number; name: string } | null;
  layouts: SavedLayout[];
}

export function TourControls({ tour, unit, layouts }: Props) {
  const { t } = useI18n();
  const [choice, setChoice] = useState('unit');
  const [interval, setIntervalSec] = useState<TourIntervalSec>(tour.intervalSec);

  if (tour.running) {
    return (
      <div className="tour-running" data-testid="tour-status" data-page={tour.page + 1} data-pages={tour.pages} data-paused={tour.paused || undefined}>
        <span className={`tour-text${tour.error ? ' danger' : ''}`}>
          {tour.error ??
            (tour.paused
              ? t('tour.pausedStatus', { page: tour.page + 1, pages: tour.pages })
              : t('tour.status', { page: tour.page + 1, pages: tour.pages, seconds: tour.secondsLeft }))}
        </span>
        <button type="button" className="btn small ghost" title={t('tour.prev')} aria-label={t('tour.prev')} data-testid="tour-prev" onClick={() => tour.step(-1)}>
          ‹
        </button>
        <button type="button" className="btn small" data-testid={tour.paused ? 'tour-resume' : 'tour-pause'} onClick={tour.togglePause}>
          {tour.paused ? t('tour.resume') : t('tour.pause')}
        </button>
        <button type="button" className="btn small ghost" title={t('tour.next')} aria-label={t('tour.next')} data-testid="tour-next" onClick={() => tour.step(1)}>
          ›
        </button>
        <select
          className="small-select"
          aria-label={t('tour.interval')}
          data-testid="tour-interval"
          value={tour.intervalSec}
          onChange={(e) => tour.setIntervalSec(Number(e.target.value) as TourIntervalSec)}
        >
          {TOUR_INTERVALS.map((s) => (
            <option key={s} value={s}>
              {t('tour.seconds', { n: s })}
            </option>
          ))}
        </select>
        <button type="button" className="btn small" data-testid="tour-stop" onClick={tour.stop}>
          {t('tour.stop')}
        </button>
      </div>
    );
  }

  const sourceFor = (value: string): TourSource | null => {
    if (value === 'unit') return unit ? { kind: 'unit', unitId: unit.id, name: unit.name } : null;
    const layout = layouts.find((l) => `layout:${l.id}` === value);
    return layout ? { kind: 'layout', layout } : null;
  };

  return (
    <Popover label={t('tour.title')} title={t('tour.start')} testId="tour-menu">
      {(close) => (
        <div className="form-col popover-form">
          <label className="field">
            <span>{t('push.source')}</span>
            <select data-testid="tour-source" value={choice} onChange={(e) => setChoice(e.target.value)}>
              {unit && <option value="unit">{t('tour.sourceUnit', { name: unit.name })}</option>}
              {layouts.map((l) => (
                <option key={l.id} value={`layout:${l.id}`}>
                  {t('tour.sourceLayout', { name: l.name })}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>{t('tour.interval')}</span>
            <select data-testid="tour-interval" value={interval} onChange={(e) => setIntervalSec(Number(e.target.value) as TourIntervalSec)}>
              {TOUR_INTERVALS.map((s) => (
                <option key={s} value={s}>
                  {t('tour.seconds', { n: s })}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="btn small primary"
            data-testid="tour-start"
            disabled={!sourceFor(choice)}
            onClick={() => {
              const source = sourceFor(choice);
              if (!source) return;
              tour.start(source, interval);
              close();
            }}
          >
            {t('tour.start')}
          </button>
        </div>
      )}
    </Popover>
  );
}
