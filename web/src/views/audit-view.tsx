// 审计日志 (administrators): the audit log filtered, newest first, 50 rows a page (newer/older by keyset cursor),
// and CSV of the applied filters. Filters are applied with 查询, never on every keystroke.
import { useEffect, useMemo, useState } from 'react';
import { AUDIT_PAGE_SIZE, auditApi, type AuditPage } from '../api/audit-api';
import { describeError, isAbort } from '../api/http';
import { AuditFilters } from '../components/audit/audit-filters';
import { AuditTable } from '../components/audit/audit-table';
import { useI18n } from '../hooks/use-i18n';
import {
  auditCsvUrl, currentCursor, EMPTY_FORM, firstPage, formQuery, newerPage, olderPage, type AuditFilterQuery, type AuditForm,
  type CursorStack,
} from '../lib/audit-logic';
import '../styles/audit.css';

export function AuditView() {
  const { t } = useI18n();
  const [form, setForm] = useState<AuditForm>(EMPTY_FORM);
  const [units, setUnits] = useState<number[]>([]);
  const [applied, setApplied] = useState<AuditFilterQuery>({});
  const [cursors, setCursors] = useState<CursorStack>(firstPage);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  const draft = useMemo(() => formQuery({ ...form, orgUnitId: units.length ? String(units[units.length - 1]) : '' }), [form, units]);
  const before = currentCursor(cursors);

  useEffect(() => {
    const abort = new AbortController();
    setLoading(true);
    auditApi.list({ ...applied, before, limit: AUDIT_PAGE_SIZE }, abort.signal).then(
      (p) => {
        setPage(p);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (isAbort(err)) return;
        setError(describeError(err, t));
        setLoading(false);
      },
    );
    return () => abort.abort();
    // `t` is left out: a language switch re-renders the rows, it does not need them again.
  }, [applied, before]);

  const apply = () => {
    if (!('query' in draft)) return;
    setApplied(draft.query);
    setCursors(firstPage());
  };
  const reset = () => {
    setForm(EMPTY_FORM);
    setUnits([]);
    setApplied({});
    setCursors(firstPage());
  };

  return (
    <section className="audit-view page-view" aria-label={t('audit.title')} data-testid="audit-view">
      <header className="audit-bar">
        <h2>{t('audit.title')}</h2>
        <AuditFilters
          form={form}
          units={units}
          problem={'problem' in draft ? draft.problem : null}
          csvHref={auditCsvUrl(applied)}
          onChange={setForm}
          onUnits={setUnits}
          onApply={apply}
          onReset={reset}
        />
      </header>
      {error && <p className="danger pane-message" role="alert">{error}</p>}
      {!page && !error && <p className="muted pane-message">{t('common.loading')}</p>}
      {page && (
        <div className={`audit-results${loading ? ' loading' : ''}`} aria-busy={loading}>
          {page.items.length === 0 ? <p className="muted pane-message" data-testid="audit-empty">{t('audit.empty')}</p> : <AuditTable items={page.items} />}
          <footer className="audit-pager">
            <button type="button" className="btn small" disabled={cursors.length === 1 || loading} onClick={() => setCursors(newerPage)} data-testid="audit-newer">
              {t('audit.newer')}
            </button>
            <span className="muted" data-testid="audit-page" data-page={cursors.length}>
              {t('audit.page', { n: cursors.length })} · {t('audit.rows', { count: page.items.length })}
            </span>
            <button
              type="button"
              className="btn small"
              disabled={page.nextBefore === null || loading}
              onClick={() => page.nextBefore !== null && setCursors((c) => olderPage(c, page.nextBefore!))}
              data-testid="audit-older"
            >
              {t('audit.older')}
            </button>
          </footer>
        </div>
      )}
    </section>
  );
}
