// 统计: found / dispatched / closed / returned / overdue, 办结率 and mean times for a date range, by next-level unit,
// category and network; CSS bars, CSV export with the same filters. Re-read when dispatch events arrive.
import { useEffect, useMemo, useState } from 'react';
import { describeError } from '../api/http';
import { OrgUnitPicker } from '../components/common/org-unit-picker';
import { dispatchApi, type Stats, type StatsRow } from '../api/dispatch-api';
import { availabilityCsvUrl, maintenanceApi, type Availability } from '../api/maintenance-api';
import { useDurableEvent } from '../hooks/use-socket';
import { useThrottledBump } from '../hooks/use-throttled-bump';
import { useDispatch } from '../hooks/use-dispatch-context';
import { useI18n } from '../hooks/use-i18n';
import type { MessageKey } from '../i18n';
import { formatDuration } from '../lib/dispatch-logic';
import { barPercent, csvUrl, defaultRange, formatPercent, formatRate, rangeQuery, type DayRange, type StatsGroup } from '../lib/stats-logic';
import '../styles/stats.css';
import { unitLabel } from '../lib/org-logic';

const COUNTS = ['found', 'dispatched', 'closed', 'returned', 'overdue'] as const;
const TABLES: Array<{ group: StatsGroup; key: 'byUnit' | 'byCategory' | 'byNetwork'; label: MessageKey }> = [
  { group: 'unit', key: 'byUnit', label: 'stats.byUnit' },
  { group: 'category', key: 'byCategory', label: 'stats.byCategory' },
  { group: 'network', key: 'byNetwork', label: 'stats.byNetwork' },
];

export function StatsView({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const { targets, unit } = useDispatch();
  const [draft, setDraft] = useState<DayRange>(() => defaultRange(new Date()));
  const [range, setRange] = useState<DayRange>(draft);
  const [scope, setScope] = useState<number | undefined>(undefined);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [availability, setAvailability] = useState<Availability | null>(null);
  // The availability report reads the whole area's history (about a second for 100,000 cameras): at most every 30 s.
  const [ticketsVersion, bumpTickets] = useThrottledBump(30_000);
  const query = useMemo(() => rangeQuery(range), [range]);

  useDurableEvent('ticket:changed', bumpTickets);
  useEffect(() => {
    if (!query) return;
    const abort = new AbortController();
    maintenanceApi.availability({ ...query, orgUnitId: scope }, abort.signal).then(setAvailability, () => !abort.signal.aborted && setAvailability(null));
    return () => abort.abort();
  }, [query, scope, ticketsVersion]);

  useEffect(() => {
    if (!query) return;
    const abort = new AbortController();
    dispatchApi.stats({ ...query, orgUnitId: scope }, abort.signal).then(
      (s) => {
        setStats(s);
        setError(null);
      },
      (err: unknown) => !abort.signal.aborted && setError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out: switching the language does not need new numbers.
  }, [query, scope, version]);

  const duration = (sec: number | null) => (sec === null ? t('stats.noData') : formatDuration(sec, (k, p) => t(k, p)));
  // Units' nameEn is their English name, or the Chinese one while they have none (组织机构, #16).
  const label = (row: StatsRow, _group: StatsGroup) => (lang === 'en' ? row.nameEn : row.name);
  const draftValid = rangeQuery(draft) !== null;

  return (
    <section className="stats-view" aria-label={t('stats.title')} data-testid="stats-view">
      <header className="stats-bar">
        <h2>{t('stats.title')}</h2>
        <form
          className="stats-filters"
          onSubmit={(e) => {
            e.preventDefault();
            if (draftValid) setRange(draft);
          }}
        >
          <label>
            <span className="muted">{t('stats.from')}</span>
            <input type="date" data-testid="stats-from" value={draft.fromDay} onChange={(e) => setDraft((d) => ({ ...d, fromDay: e.target.value }))} />
          </label>
          <label>
            <span className="muted">{t('stats.to')}</span>
            <input type="date" data-testid="stats-to" value={draft.toDay} onChange={(e) => setDraft((d) => ({ ...d, toDay: e.target.value }))} />
          </label>
          {targets.length > 0 && unit && (
            <OrgUnitPicker
              testId="stats-scope"
              units={targets}
              depth={1}
              value={scope === undefined ? [] : [scope]}
              anyLabel={unitLabel(unit, lang)}
              label={t('stats.scope', { name: '' })}
              onChange={([id]) => setScope(id)}
            />
          )}
          <button type="submit" className="btn small primary" data-testid="stats-apply" disabled={!draftValid}>
            {t('stats.apply')}
          </button>
          {!draftValid && <span className="danger small">{t('stats.badRange')}</span>}
        </form>
      </header>
      {error && <p className="danger pane-message" role="alert">{error}</p>}
      {!stats && !error && <p className="muted pane-message">{t('common.loading')}</p>}
      {stats && (
        <>
          <p className="muted stats-scope">{t('stats.scope', { name: stats.scope.name })}</p>
          <div className="stat-cards" data-testid="stats-totals">
            {COUNTS.map((k) => (
              <div key={k} className={`stat-card ${k}`} data-stat={k}>
                <span className="muted">{t(`stats.${k}`)}</span>
                <b>{stats.total[k]}</b>
              </div>
            ))}
            <div className="stat-card rate" data-stat="closureRate">
              <span className="muted">{t('stats.closureRate')}</span>
              {/* The exact figure (verified closures only), not a rounded one: 办结率 99.98 % must mean just that. */}
              <b data-testid="closure-rate">{formatPercent(stats.total.closureRatePercent)}</b>
            </div>
            <div className="stat-card" data-stat="pendingRecheck" title={t('stats.pendingRecheckTitle')}>
              <span className="muted">{t('stats.pendingRecheck')}</span>
              <b>{stats.total.pendingRecheck}</b>
            </div>
            <div className="stat-card" data-stat="avgAccept">
              <span className="muted">{t('stats.avgAccept')}</span>
              <b>{duration(stats.total.avgAcceptSec)}</b>
            </div>
            <div className="stat-card" data-stat="avgClose">
              <span className="muted">{t('stats.avgClose')}</span>
              <b>{duration(stats.total.avgCloseSec)}</b>
            </div>
          </div>
          {TABLES.map(({ group, key, label: title }) => {
            const rows = stats[key];
            const max = Math.max(0, ...rows.map((r) => r.found));
            return (
              <section key={group} className="stats-table-box">
                <header className="pane-title">
                  <span>{t(title)}</span>
                  <a className="link" href={csvUrl(group, query, scope)} download data-testid={`stats-csv-${group}`}>
                    {t('stats.export')}
                  </a>
                </header>
                <table className="stats-table" data-table={group}>
                  <thead>
                    <tr>
                      <th>{t('stats.name')}</th>
                      {COUNTS.map((k) => (
                        <th key={k}>{t(`stats.${k}`)}</th>
                      ))}
                      <th>{t('stats.closureRate')}</th>
                      <th>{t('stats.avgAccept')}</th>
                      <th>{t('stats.avgClose')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.key} data-key={row.key}>
                        <th scope="row">{label(row, group)}</th>
                        <td className="bar-cell">
                          <span className="bar" style={{ width: `${barPercent(row.found, max)}%` }} aria-hidden />
                          <span className="bar-value">{row.found}</span>
                        </td>
                        {COUNTS.slice(1).map((k) => (
                          <td key={k} className={k === 'overdue' && row.overdue > 0 ? 'danger' : undefined}>
                            {row[k]}
                          </td>
                        ))}
                        <td className="bar-cell rate">
                          <span className="bar" style={{ width: `${row.closureRate === null ? 0 : barPercent(row.closureRate, 1)}%` }} aria-hidden />
                          <span className="bar-value">{formatPercent(row.closureRatePercent)}</span>
                        </td>
                        <td>{duration(row.avgAcceptSec)}</td>
                        <td>{duration(row.avgCloseSec)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            );
          })}
        </>
      )}
      {availability && (
        <>
          <h3 className="stats-section-title">{t('stats.availability')}</h3>
          <div className="stat-cards" data-testid="availability-totals">
            <div className="stat-card rate" data-stat="onlineRate">
              <span className="muted">{t('stats.onlineRate')}</span>
              <b>{formatRate(availability.total.onlineRate)}</b>
            </div>
            <div className="stat-card rate" data-stat="intactRate">
              <span className="muted">{t('stats.intactRate')}</span>
              <b>{formatRate(availability.total.intactRate)}</b>
            </div>
            <div className="stat-card overdue" data-stat="openTickets">
              <span className="muted">{t('stats.openTickets')}</span>
              <b>{availability.total.openTickets}</b>
            </div>
            <div className="stat-card" data-stat="ticketsOpened">
              <span className="muted">{t('stats.ticketsOpened')}</span>
              <b>{availability.total.ticketsOpened}</b>
            </div>
          </div>
          {([['unit', 'byUnit', 'stats.availabilityByUnit'], ['network', 'byNetwork', 'stats.availabilityByNetwork']] as const).map(([group, key, title]) => (
            <section key={group} className="stats-table-box">
              <header className="pane-title">
                <span>{t(title)}</span>
                <a className="link" href={availabilityCsvUrl(group, query, scope)} download data-testid={`availability-csv-${group}`}>
                  {t('stats.export')}
                </a>
              </header>
              <table className="stats-table" data-table={`availability-${group}`}>
                <thead>
                  <tr>
                    <th>{t('stats.name')}</th>
                    <th>{t('stats.cameras')}</th>
                    <th>{t('stats.onlineRate')}</th>
                    <th>{t('stats.intactRate')}</th>
                    <th>{t('stats.openTickets')}</th>
                    <th>{t('stats.ticketsOpened')}</th>
                  </tr>
                </thead>
                <tbody>
                  {availability[key].map((row) => (
                    <tr key={row.key} data-key={row.key}>
                      <th scope="row">{lang === 'en' ? row.nameEn : row.name}</th>
                      <td>{row.cameras}</td>
                      {(['onlineRate', 'intactRate'] as const).map((k) => (
                        <td key={k} className="bar-cell rate">
                          <span className="bar" style={{ width: `${row[k] === null ? 0 : barPercent(row[k], 1)}%` }} aria-hidden />
                          <span className="bar-value">{formatRate(row[k])}</span>
                        </td>
                      ))}
                      <td className={row.openTickets > 0 ? 'danger' : undefined}>{row.openTickets}</td>
                      <td>{row.ticketsOpened}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
        </>
      )}
    </section>
  );
}
