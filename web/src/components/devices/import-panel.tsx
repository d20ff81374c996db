// 导入: a CSV/JSON camera list read in the browser, a dry run (summary and the rejected rows with row, field and
// message), then the commit of exactly what was checked. The accepted columns come from /api/catalogue/format.
import { useEffect, useState } from 'react';
import { devicesApi, type FormatField, type ImportResult } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { clearUnitCache } from '../../hooks/use-org-units';
import { useI18n } from '../../hooks/use-i18n';
import { canCommit, decodeFileText, importBody, importKey, SUMMARY_KEYS, type ImportOptions } from '../../lib/devices-logic';
import { ImportErrorTable } from '../common/import-error-table';

/** The server takes up to 200,000 rows (~40 MB); a file far above that is refused before it is read. */
const MAX_FILE_BYTES = 100 * 1024 * 1024;

export function ImportPanel() {
  const { t } = useI18n();
  const [file, setFile] = useState<{ name: string; text: string; encoding: 'utf-8' | 'gb18030' } | null>(null);
  const [options, setOptions] = useState<ImportOptions>({ createOrgUnits: false, atomic: false });
  const [dryRun, setDryRun] = useState<{ key: string; result: ImportResult } | null>(null);
  const [committed, setCommitted] = useState<ImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [format, setFormat] = useState<FormatField[] | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    devicesApi.format(abort.signal).then(setFormat, () => { /* the link below still describes the format */ });
    return () => abort.abort();
  }, []);

  const key = file ? importKey(file, options) : null;
  const current = dryRun && dryRun.key === key ? dryRun.result : null;

  const choose = async (picked: File | undefined) => {
    setDryRun(null);
    setCommitted(null);
    setError(null);
    if (!picked) return setFile(null);
    if (picked.size > MAX_FILE_BYTES) return setError(t('devices.importTooBig'));
    const { text, encoding } = decodeFileText(new Uint8Array(await picked.arrayBuffer()));
    setFile({ name: picked.name, text, encoding });
  };

  const run = async (dry: boolean) => {
    if (!file || !key) return;
    setBusy(true);
    setError(null);
    try {
      const result = await devicesApi.importCatalogue(importBody(file, options, dry));
      if (dry) setDryRun({ key, result });
      else {
        setCommitted(result);
        setDryRun(null);
        if (result.summary.orgUnitsCreated > 0) clearUnitCache();
      }
    } catch (err) {
      setError(describeError(err, t));
    }
    setBusy(false);
  };

  const shown = committed ?? current;
  return (
    <div className="devices-import">
      <form className="devices-form" onSubmit={(e) => e.preventDefault()}>
        <label className="devices-wide">
          <span>{t('devices.importFile')}</span>
          <input type="file" accept=".csv,.json,.txt,.tsv,text/csv,application/json" data-testid="import-file" onChange={(e) => void choose(e.target.files?.[0])} />
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="import-create-units"
            checked={options.createOrgUnits}
            onChange={(e) => setOptions((o) => ({ ...o, createOrgUnits: e.target.checked }))}
          />
          {t('devices.importCreateUnits')}
        </label>
        <label>
          <input type="checkbox" data-testid="import-atomic" checked={options.atomic} onChange={(e) => setOptions((o) => ({ ...o, atomic: e.target.checked }))} />
          {t('devices.importAtomic')}
        </label>
        <button type="button" className="btn small" data-testid="import-dry-run" disabled={!file || busy} onClick={() => void run(true)}>
          {t('devices.importDryRun')}
        </button>
        <button
          type="button"
          className="btn small primary"
          data-testid="import-commit"
          disabled={!file || busy || !canCommit(current, options)}
          onClick={() => void run(false)}
        >
          {t('devices.importCommit')}
        </button>
        {busy && <span className="muted small">{t('common.saving')}</span>}
      </form>
      {file?.encoding === 'gb18030' && (
        <p className="warn small" data-testid="import-encoding">
          {t('devices.importGbk')}
        </p>
      )}
      <p className="muted small devices-hint">{t('devices.importHint')}</p>
      {error && <p className="danger pane-message" role="alert" data-testid="import-error">{error}</p>}

      {shown && (
        <section className="devices-import-result" data-testid="import-result" data-committed={shown.committed} data-dry-run={shown.dryRun}>
          <p className={shown.committed ? 'ok' : 'muted'} data-testid={shown.committed ? 'import-done' : 'import-checked'}>
            {shown.committed ? t('devices.importCommitted', { seconds: shown.seconds.toFixed(2) }) : t('devices.importChecked')}
          </p>
          <div className="stat-cards" data-testid="import-summary">
            {SUMMARY_KEYS.map((k) => (
              <div key={k} className={`stat-card ${k === 'rejected' && shown.summary.rejected > 0 ? 'overdue' : ''}`} data-stat={k}>
                <span className="muted">{t(`devices.summary.${k}`)}</span>
                <b>{shown.summary[k]}</b>
              </div>
            ))}
          </div>
          {shown.createdOrgUnits.length > 0 && (
            <p className="muted small" data-testid="import-units">
              {t('devices.importUnits', { units: shown.createdOrgUnits.join('，') })}
            </p>
          )}
          {shown.ignoredColumns.length > 0 && (
            <p className="muted small">{t('devices.importIgnored', { columns: shown.ignoredColumns.join(', ') })}</p>
          )}
          <ImportErrorTable errors={shown.errors} truncated={shown.errorsTruncated} table="import-errors" />
        </section>
      )}

      <details className="devices-format" data-testid="import-format">
        <summary>{t('devices.importFormat')}</summary>
        <p className="muted small">
          {t('devices.importFormatIntro')}{' '}
          <a className="link" href="/api/catalogue/format" target="_blank" rel="noreferrer">
            /api/catalogue/format
          </a>
        </p>
        {format && (
          <table className="devices-table">
            <tbody>
              {format.map((f) => (
                <tr key={f.field} data-field={f.field}>
                  <th scope="row">{f.field}</th>
                  <td className="muted">{f.aliases.join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </details>
    </div>
  );
}
