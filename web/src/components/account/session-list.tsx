// 登录会话: the browsers signed in as this user, the current one marked; 结束 ends one at once (its live connection
// too); ending the current one signs out here.
import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../../api/http';
import { accountApi, type AccountSession } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';
import { chinaTime } from '../../lib/audit-logic';
import { browserLabel } from '../../lib/users-logic';

interface Props {
  /** Bump to read the list again (after a password change ended the other sessions). */
  version: number;
  /** The current session was ended: the page signs out. */
  onEndedCurrent: () => void;
}

export function SessionList({ version, onEndedCurrent }: Props) {
  const { t } = useI18n();
  const [sessions, setSessions] = useState<AccountSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    accountApi.sessions(abort.signal).then(
      (list) => {
        setSessions(list);
        setError(null);
      },
      (err: unknown) => !abort.signal.aborted && setError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` left out: a language switch needs no new list.
  }, [version, reload]);

  const end = useCallback(async (session: AccountSession) => {
    setBusy(session.id);
    try {
      await accountApi.endSession(session.id);
      if (session.current) return onEndedCurrent();
      setReload((n) => n + 1);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(null);
    }
  }, [onEndedCurrent, t]);

  return (
    <section className="account-sessions" data-testid="account-sessions">
      <h3>{t('account.sessions')}</h3>
      <p className="muted small">{t('account.sessionsIntro')}</p>
      {error && <p className="danger small" role="alert">{error}</p>}
      <div className="devices-table-box">
        <table className="devices-table">
          <thead>
            <tr>
              <th>{t('account.col.browser')}</th>
              <th>{t('account.col.ip')}</th>
              <th>{t('account.col.created')}</th>
              <th>{t('account.col.expires')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {(sessions ?? []).map((s) => (
              <tr key={s.id} data-session-id={s.id} data-current={s.current}>
                <td title={s.userAgent ?? ''}>
                  {browserLabel(s.userAgent)}
                  {s.current && <span className="users-badge ok" data-testid="current-session">{t('account.thisSession')}</span>}
                </td>
                <td>{s.ip ?? '—'}</td>
                <td><time dateTime={s.createdAt}>{chinaTime(s.createdAt)}</time></td>
                <td><time dateTime={s.expiresAt}>{chinaTime(s.expiresAt)}</time></td>
                <td>
                  <button type="button" className="btn small" data-action="end-session" disabled={busy === s.id} onClick={() => void end(s)}>
                    {s.current ? t('account.endThis') : t('account.end')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {sessions?.length === 0 && <p className="muted pane-message">{t('account.noSessions')}</p>}
      </div>
    </section>
  );
}
