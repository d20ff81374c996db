// The links in the user's scope: terms, who made them, status computed from the clock, devices and current
// viewers; 撤销 asks once more, then takes effect at once (the server stops every viewer within a second).
import { useState } from 'react';
import { describeError } from '../../api/http';
import type { ShareLink } from '../../api/share-links-api';
import { useI18n } from '../../hooks/use-i18n';
import { filterLinks, isLive, linkStatus, type StatusFilter } from '../../lib/share-links-logic';

interface Props {
  links: ShareLink[] | null;
  error: string | null;
  now: number;
  filter: StatusFilter;
  onFilter: (filter: StatusFilter) => void;
  pathOf: (unitId: number) => string | null;
  onRevoke: (id: number) => Promise<void>;
}

export function ShareLinkList({ links, error, now, filter, onFilter, pathOf, onRevoke }: Props) {
  const { t, lang } = useI18n();
  const [confirming, setConfirming] = useState<number | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const at = new Date(now);
  const shown = links ? filterLinks(links, filter, at) : [];
  const when = (iso: string) => new Date(iso).toLocaleString(lang, { hour12: false, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  const revoke = async (id: number) => {
    setBusy(id);
    setRowError(null);
    try {
      await onRevoke(id);
      setConfirming(null);
    } catch (err) {
      setRowError({ id, message: describeError(err, t) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="share-list-box">
      <header className="share-list-bar">
        <h3>{t('shareLinks.listTitle')}</h3>
        <div className="share-filter" role="group" aria-label={t('shareLinks.filter')} data-testid="share-filter">
          {(['active', 'all'] as const).map((f) => (
            <button key={f} type="button" className="nav-btn" data-filter={f} aria-pressed={filter === f} onClick={() => onFilter(f)}>
              {t(`shareLinks.filter.${f}`)}
            </button>
          ))}
        </div>
      </header>
      {error && (
        <p className="danger pane-message" role="alert" data-testid="share-list-error">
          {error}
        </p>
      )}
      <div
        className="share-table-wrap"
        data-testid="share-list"
        data-state={links === null ? (error ? 'error' : 'loading') : 'ready'}
        data-count={shown.length}
      >
        {links === null ? (
          !error && <p className="muted pane-message">{t('common.loading')}</p>
        ) : shown.length === 0 ? (
          <p className="muted pane-message">{filter === 'active' ? t('shareLinks.noneActive') : t('shareLinks.none')}</p>
        ) : (
          <table className="share-table">
            <thead>
              <tr>
                <th>{t('shareLinks.col.label')}</th>
                <th>{t('shareLinks.col.unit')}</th>
                <th>{t('shareLinks.col.cameras')}</th>
                <th>{t('shareLinks.col.created')}</th>
                <th>{t('shareLinks.col.expires')}</th>
                <th>{t('shareLinks.col.window')}</th>
                <th>{t('shareLinks.col.devices')}</th>
                <th>{t('shareLinks.col.viewers')}</th>
                <th>{t('shareLinks.col.status')}</th>
                <th aria-label={t('shareLinks.col.actions')} />
              </tr>
            </thead>
            <tbody>
              {shown.map((link) => {
                const status = linkStatus(link, at);
                const path = pathOf(link.orgUnitId);
                return (
                  <tr key={link.id} data-link-id={link.id} data-status={status}>
                    <td className="share-label" title={link.label}>
                      {link.label}
                    </td>
                    <td>
                      <span data-testid="share-row-unit">{link.orgUnitName}</span>
                      {path && path !== link.orgUnitName && <small className="muted share-path">{path}</small>}
                    </td>
                    <td className="num" data-testid="share-row-cameras">
                      {link.cameraCount}
                    </td>
                    <td>
                      {link.createdBy}
                      <small className="muted share-path">{when(link.createdAt)}</small>
                    </td>
                    <td>{when(link.expiresAt)}</td>
                    <td>
                      {link.dailyWindow ? `${link.dailyWindow.start}–${link.dailyWindow.end}` : t('shareLinks.allDay')}
                      {link.rewindMinutes > 0 && <small className="muted share-path" data-testid="share-row-rewind">{t('shareLinks.rewindShort', { minutes: link.rewindMinutes })}</small>}
                    </td>
                    <td className="num" data-testid="share-row-devices" title={t('shareLinks.devicesTitle')}>
                      {link.maxDevices === null ? link.devices : `${link.devices} / ${link.maxDevices}`}
                    </td>
                    <td className="num" data-testid="share-row-viewers" title={t('shareLinks.viewersTitle', { max: link.maxViewers })}>
                      {isLive(status) ? link.activeViewers : '—'}
                    </td>
                    <td>
                      <span className={`share-status ${status}`}>{t(`shareLinks.status.${status}`)}</span>
                      {link.revokedAt && <small className="muted share-path">{when(link.revokedAt)}</small>}
                    </td>
                    <td className="share-actions">
                      {isLive(status) &&
                        (confirming === link.id ? (
                          <span className="share-confirm">
                            <button type="button" className="btn small warn" data-action="confirm-revoke" disabled={busy === link.id} onClick={() => void revoke(link.id)}>
                              {t('shareLinks.confirmRevoke')}
                            </button>
                            <button type="button" className="btn small ghost" data-action="cancel-revoke" onClick={() => setConfirming(null)}>
                              {t('common.cancel')}
                            </button>
                          </span>
                        ) : (
                          <button type="button" className="btn small" data-action="revoke" onClick={() => setConfirming(link.id)}>
                            {t('shareLinks.revoke')}
                          </button>
                        ))}
                      {rowError?.id === link.id && (
                        <small className="danger share-path" role="alert">
                          {rowError.message}
                        </small>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
