// 视频巡查: the runs of my area (start or continue one on the wall; overdue flagged), the plans (new, edit, delete),
// and the figures of the last 30 days by unit and operator with CSV. Re-read when patrol events arrive.
import { useEffect, useState } from 'react';
import { describeError, type Network, type User } from '../api/http';
import { patrolApi, type PatrolPlan, type PatrolRun, type PatrolStats, type PatrolStatsRow } from '../api/patrol-api';
import { PlanForm } from '../components/patrol/plan-form';
import { useI18n } from '../hooks/use-i18n';
import { formatRate } from '../lib/stats-logic';
import '../styles/patrol.css';

interface Props {
  me: User;
  version: number;
  networks: Network[];
  wallCameraIds: number[];
  onRun: (runId: number) => void;
}

type RunFilter = 'open' | 'completed';

export function PatrolView({ me, version, networks, wallCameraIds, onRun }: Props) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<RunFilter>('open');
  const [runs, setRuns] = useState<PatrolRun[] | null>(null);
  const [plans, setPlans] = useState<PatrolPlan[] | null>(null);
  const [stats, setStats] = useState<PatrolStats | null>(null);
  const [editing, setEditing] = useState<PatrolPlan | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const time = (iso: string | null) => (iso ? new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short', hour12: false }).format(new Date(iso)) : '—');

  useEffect(() => {
    const abort = new AbortController();
    Promise.all([
      patrolApi.runs({ state: filter, limit: 100 }, abort.signal),
      patrolApi.plans(abort.signal),
      patrolApi.stats({}, abort.signal),
    ]).then(
      ([r, p, s]) => {
        setRuns(r.items);
        setPlans(p);
        setStats(s);
        setError(null);
      },
      (err: unknown) => !abort.signal.aborted && setError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out: a language switch needs no new data.
  }, [filter, version, reload]);

  const runButton = (run: PatrolRun) => {
    if (run.state === 'completed') return null;
    const mine = run.operator === me.username;
    if (run.state !== 'due' && !mine) return <span className="muted">{t('patrol.run.heldBy', { name: run.operator ?? '—' })}</span>;
    return (
      <button type="button" className="btn small primary" data-action="run" onClick={() => onRun(run.id)}>
        {run.state === 'due' ? t('patrol.action.start') : t('patrol.action.continue')}
      </button>
    );
  };

  const statsRow = (row: PatrolStatsRow, name: string, prefix = '') => (
    <tr key={prefix + row.key} data-row={prefix + row.key}>
      <td>{name}</td><td>{row.due}</td><td>{row.completed}</td><td>{row.onTime}</td>
      <td>{row.overdue}</td><td data-field="coverage">{formatRate(row.coverage)}</td><td>{row.findings}</td>
    </tr>
  );

  const removePlan = async (plan: PatrolPlan) => {
    if (!window.confirm(t('patrol.plan.confirmDelete', { name: plan.name }))) return;
    try {
      await patrolApi.deletePlan(plan.id);
      setReload((n) => n + 1);
    } catch (err) {
      setError(describeError(err, t));
    }
  };

  return (
    <section className="page-view patrol-view" data-testid="patrol-view" aria-label={t('patrol.title')}>
      <header className="patrol-view-head">
        <h2>{t('patrol.title')}</h2>
        {error && <span className="modal-error danger" role="alert">{error}</span>}
      </header>
      <div className="patrol-columns">
        <section className="patrol-runs" aria-label={t('patrol.runs')}>
          <div className="patrol-section-head">
            <h3>{t('patrol.runs')}</h3>
            <div className="seg" role="group">
              {(['open', 'completed'] as const).map((f) => (
                <button key={f} type="button" className="btn small" aria-pressed={filter === f} onClick={() => setFilter(f)}>{t(`patrol.filter.${f}`)}</button>
              ))}
            </div>
          </div>
          {runs === null ? <p className="muted">{t('app.loading')}</p> : runs.length === 0 ? <p className="muted">{t('patrol.run.none')}</p> : (
            <table className="patrol-table" data-testid="patrol-runs">
              <thead>
                <tr><th>{t('patrol.run.plan')}</th><th>{t('patrol.run.due')}</th><th>{t('patrol.run.state')}</th><th>{t('patrol.run.progress')}</th><th /></tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={run.id} data-run-id={run.id} data-state={run.state} className={run.overdue ? 'overdue' : undefined}>
                    <td>{run.planName}<div className="muted small">{run.orgUnitName}</div></td>
                    <td>{time(run.dueAt)}<div className="muted small">{t('patrol.run.deadline', { at: time(run.deadline) })}</div></td>
                    <td>
                      {t(`patrol.state.${run.state}`)}
                      {run.overdue && <span className="badge warn" data-field="overdue">{t('patrol.run.overdue')}</span>}
                      {run.operator && <div className="muted small">{run.operator}</div>}
                    </td>
                    <td>{run.marked}/{run.cameraCount}{run.findings > 0 && <span className="muted small"> · {t('patrol.run.findings', { n: run.findings })}</span>}</td>
                    <td>{runButton(run)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="patrol-plans" aria-label={t('patrol.plans')}>
          <div className="patrol-section-head">
            <h3>{t('patrol.plans')}</h3>
            <button type="button" className="btn small" data-action="new-plan" onClick={() => setEditing('new')}>{t('patrol.plan.new')}</button>
          </div>
          {editing && (
            <PlanForm
              key={editing === 'new' ? 'new' : editing.id}
              plan={editing === 'new' ? null : editing}
              wallCameraIds={wallCameraIds}
              networks={networks}
              onCancel={() => setEditing(null)}
              onSaved={() => {
                setEditing(null);
                setReload((n) => n + 1);
              }}
            />
          )}
          <ul className="patrol-plan-list" data-testid="patrol-plans">
            {(plans ?? []).map((plan) => (
              <li key={plan.id} data-plan-id={plan.id}>
                <b>{plan.name}</b> <span className="muted">{plan.orgUnitName}</span>
                <div className="muted small">
                  {t('patrol.plan.summary', { cameras: plan.cameraIds.length, shifts: plan.shifts.join(' '), dwell: plan.dwellSec })}
                </div>
                <button type="button" className="btn ghost small" onClick={() => setEditing(plan)}>{t('patrol.plan.editButton')}</button>
                <button type="button" className="btn ghost small" onClick={() => void removePlan(plan)}>{t('patrol.plan.delete')}</button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {stats && (
        <section className="patrol-stats" aria-label={t('patrol.stats')} data-testid="patrol-stats">
          <div className="patrol-section-head">
            <h3>{t('patrol.stats')}</h3>
            <a className="btn small" href={patrolApi.statsCsvUrl({ groupBy: 'unit' })} download>{t('patrol.stats.csvUnit')}</a>
            <a className="btn small" href={patrolApi.statsCsvUrl({ groupBy: 'operator' })} download>{t('patrol.stats.csvOperator')}</a>
          </div>
          <table className="patrol-table">
            <thead>
              <tr>
                <th>{t('patrol.stats.name')}</th><th>{t('patrol.stats.due')}</th><th>{t('patrol.stats.completed')}</th><th>{t('patrol.stats.onTime')}</th>
                <th>{t('patrol.stats.overdue')}</th><th>{t('patrol.stats.coverage')}</th><th>{t('patrol.stats.findings')}</th>
              </tr>
            </thead>
            <tbody>
              {stats.byUnit.map((row) => statsRow(row, row.name))}
              {stats.byOperator.length > 0 && <tr className="group"><th colSpan={7}>{t('patrol.stats.byOperator')}</th></tr>}
              {stats.byOperator.map((row) => statsRow(row, row.key === '' ? t('patrol.stats.notStarted') : row.key, 'operator:'))}
              {statsRow(stats.total, t('patrol.stats.total'))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
