// The toolbar's 同步回放: pick a moment, and every tile of the layout plays its camera's past from it, in step.
import { useEffect, useState } from 'react';
import { useI18n } from '../../hooks/use-i18n';
import { useSyncPlayback } from '../../hooks/use-sync-playback';
import { clockTime } from '../../lib/rewind-logic';
import { clockAt } from '../../lib/sync-clock';

const offset = () => -new Date().getTimezoneOffset();
/** datetime-local wants local "YYYY-MM-DDTHH:MM:SS". */
const toLocalInput = (ms: number) => new Date(ms + offset() * 60_000).toISOString().slice(0, 19);
const fromLocalInput = (value: string) => Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`) - offset() * 60_000;

export function SyncControls({ tiles }: { tiles: number }) {
  const { t } = useI18n();
  const sync = useSyncPlayback();
  const [picking, setPicking] = useState(false);
  const [value, setValue] = useState('');
  const [, tick] = useState(0);
  useEffect(() => {
    if (!sync.clock) return;
    const timer = setInterval(() => tick((n) => n + 1), 500);
    return () => clearInterval(timer);
  }, [sync.clock]);

  if (sync.clock) {
    return (
      <span className="sync-controls" data-testid="sync-active">
        <span className="sync-clock" data-testid="sync-clock">{t('sync.at', { time: clockTime(clockAt(sync.clock, Date.now()), offset()) })}</span>
        <button type="button" className="btn small" data-testid="sync-stop" onClick={sync.stop}>{t('sync.stop')}</button>
      </span>
    );
  }
  if (!picking) {
    return (
      <button type="button" className="btn small" data-testid="sync-open" disabled={tiles < 1} title={t('sync.title')}
        onClick={() => { setValue(toLocalInput(Date.now() - 60_000)); setPicking(true); }}>
        {t('sync.button')}
      </button>
    );
  }
  const at = fromLocalInput(value);
  const valid = Number.isFinite(at) && at < Date.now();
  return (
    <form className="sync-controls" onSubmit={(e) => { e.preventDefault(); if (valid) { sync.start(at); setPicking(false); } }}>
      <input type="datetime-local" step={1} data-testid="sync-time" aria-label={t('sync.time')} value={value} max={toLocalInput(Date.now())} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className="btn small" data-testid="sync-start" disabled={!valid}>{t('sync.start')}</button>
      <button type="button" className="btn small" onClick={() => setPicking(false)}>{t('sync.cancel')}</button>
    </form>
  );
}
