// 批量导入: a staff sheet saved as CSV, read in the browser (GBK from Excel is recognised), a dry run listing each
// rejected row with its field, then the commit. The commit's answer carries every new account's initial password,
// shown here once and offered as a CSV file (written by the server's one CSV writer); nothing else ever shows them.
import { useEffect, useState } from 'react';
import { describeError } from '../../api/http';
import { usersApi, type UserImportResult } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';
import { decodeFileText } from '../../lib/devices-logic';
import { passwordsFileName } from '../../lib/users-logic';
import { ImportErrorTable } from '../common/import-error-table';

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const SUMMARY = ['total', 'accepted', 'created', 'rejected'] as const;
const FIELDS = ['username', 'displayName', 'role', 'orgUnitPath', 'phone'] as const;
type UserField = (typeof FIELDS)[number];

export function UserImportPanel({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<{ name: string; text: string; encoding: 'utf-8' | 'gb18030' } | null>(null);
  const [atomic, setAtomic] = useState(false);
  const [result, setResult] = useState<UserImportResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [download, setDownload] = useState<string | null>(null);

  // The object URL holds the passwords: let it go with the result.
  useEffect(() => () => {
    if (download) URL.revokeObjectURL(download);
  }, [download]);

  const choose = async (picked: File | undefined) => {
    setResult(null);
    setError(null);
    setDownload(null);
    if (!picked) return setFile(null);
    if (picked.size > MAX_FILE_BYTES) return setError(t('users.import.tooBig'));
    const { text, encoding } = decodeFileText(new Uint8Array(await picked.arrayBuffer()));
    setFile({ name: picked.name, text, encoding });
  };

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await usersApi.importUsers({ content: file.text, dryRun, atomic });
      setResult(answer);
      if (answer.passwordsCsv) setDownload(URL.createObjectURL(new Blob([answer.passwordsCsv], { type: 'text/csv;charset=utf-8' })));
      if (answer.committed) {
        setFile(null);
        onImported();
      }
    } catch (err) {
      setError(describeError(err, t));
    }
    setBusy(false);
  };

  const fieldName = (field: string) => ((FIELDS as readonly string[]).includes(field) ? t(`users.field.${field as UserField}`) : field);
  const canCommit = !!file && !busy && !!result?.dryRun && result.summary.accepted > 0 && !(atomic && result.summary.rejected > 0);
  return (
    <div className="users-import" data-testid="users-import">
      <form className="devices-form" onSubmit={(e) => e.preventDefault()}>
        <label className="devices-wide">
          <span>{t('users.import.file')}</span>
          <input type="file" accept=".csv,.txt,text/csv" data-testid="users-import-file" onChange={(e) => void choose(e.target.files?.[0])} />
        </label>
        <label>
          <input type="checkbox" checked={atomic} onChange={(e) => setAtomic(e.target.checked)} />
          {t('users.import.atomic')}
        </label>
        <button type="button" className="btn small" data-testid="users-import-dry-run" disabled={!file || busy} onClick={() => void run(true)}>
          {t('users.import.dryRun')}
        </button>
        <button type="button" className="btn small primary" data-testid="users-import-commit" disabled={!canCommit} onClick={() => void run(false)}>
          {t('users.import.commit')}
        </button>
        {busy && <span className="muted small">{t('common.saving')}</span>}
      </form>
      <p className="muted small devices-hint">{t('users.import.format')}</p>
      {file?.encoding === 'gb18030' && <p className="warn small">{t('devices.importGbk')}</p>}
      {error && <p className="danger pane-message" role="alert" data-testid="users-import-error">{error}</p>}
      {result && (
        <section className="devices-import-result" data-testid="users-import-result" data-committed={result.committed} data-dry-run={result.dryRun}>
          <p className={result.committed ? 'ok' : 'muted'}>
            {result.committed ? t('users.import.committed', { seconds: result.seconds.toFixed(2) }) : t('users.import.checked')}
          </p>
          <div className="stat-cards" data-testid="users-import-summary">
            {SUMMARY.map((k) => (
              <div key={k} className={`stat-card ${k === 'rejected' && result.summary.rejected > 0 ? 'overdue' : ''}`} data-stat={k}>
                <span className="muted">{t(`users.import.summary.${k}`)}</span>
                <b>{result.summary[k]}</b>
              </div>
            ))}
          </div>
          <ImportErrorTable errors={result.errors} truncated={result.errorsTruncated} table="users-import-errors" fieldName={fieldName} />
          {result.committed && result.users.length > 0 && (
            <>
              <p className="warn" role="alert">{t('users.import.passwordsOnce')}</p>
              {download && (
                <a className="btn small primary users-download" href={download} download={passwordsFileName()} data-testid="users-import-passwords">
                  {t('users.import.download')}
                </a>
              )}
              <h3>{t('users.import.created')}</h3>
              <div className="devices-table-box users-created">
                <table className="devices-table" data-table="users-created">
                  <thead>
                    <tr>
                      <th>{t('users.col.username')}</th>
                      <th>{t('users.col.name')}</th>
                      <th>{t('users.col.role')}</th>
                      <th>{t('users.col.unit')}</th>
                      <th>{t('users.password.title')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {result.users.map((u) => (
                      <tr key={u.row} data-username={u.username}>
                        <td className="users-mono">{u.username}</td>
                        <td>{u.displayName}</td>
                        <td>{t(`role.${u.role}`)}</td>
                        <td>{u.orgUnitPath}</td>
                        <td><code data-field="initial-password">{u.initialPassword}</code></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
    </div>
  );
}
