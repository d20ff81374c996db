// 运维工单 (issue #21): maintenance tickets of the cameras in the user's area — state, camera, maintenance unit, age —
// with the maintaining side's buttons (start repair, mark recovered; the centre may close with a reason), and for
// the administrator the maintenance unit of each network. Re-read when a 'ticket:changed' event arrives.
import { useEffect, useState } from 'react';
import type { User } from '../api/http';
import { describeError } from '../api/http';
import { maintenanceApi, type Maintainer, type Ticket } from '../api/maintenance-api';
import { useI18n } from '../hooks/use-i18n';
import { useNow } from '../hooks/use-now';
import { useDurableEvent } from '../hooks/use-socket';
import { useThrottledBump } from '../hooks/use-throttled-bump';
import { reasonText } from '../lib/status-reason';
import { ticketActionsFor, ticketAge, type UserTicketAction } from '../lib/tickets-logic';
import '../styles/stats.css';
import '../styles/tickets.css';

type Filter = 'open' | 'all';

export function TicketsView({ user }: { user: User }) {
  const { t } = useI18n();
  const now = useNow(60_000);
  const [filter, setFilter] = useState<Filter>('open');
  const [list, setList] = useState<{ total: number; items: Ticket[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [busy, setBusy] = useState<number | null>(null);
  const [changed, bump] = useThrottledBump(1000);

  useDurableEvent('ticket:changed', bump);

  useEffect(() => {
    const abort = new AbortController();
    maintenanceApi.tickets(filter === 'open' ? { state: 'open', limit: 500 } : { limit: 500 }, abort.signal).then(
      (l) => {
        setList(l);
        setError(null);
      },
      (err: unknown) => !abort.signal.aborted && setError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out: a language switch needs no new list.
  }, [filter, reload, changed]);

  async function act(ticket: Ticket, action: UserTicketAction) {
    let note: string | undefined;
    if (action === 'close') {
      note = window.prompt(t('tickets.closePrompt'))?.trim();
      if (!note) return;
    }
    setBusy(ticket.id);
    try {
      await maintenanceApi.act(ticket.id, { action, ...(note ? { note } : {}) });
      setError(null);
      setReload((n) => n + 1);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(null);
    }
  }

  const age = (x: Ticket) => {
    const a = ticketAge(x.openedAt, x.recoveredAt ?? x.closedAt, new Date(now));
    if (a.d > 0) return t('tickets.age.days', a);
    if (a.h > 0) return t('tickets.age.hours', a);
    return t('tickets.age.minutes', a);
  };

  return (
    <section className="stats-view tickets-view" aria-label={t('tickets.title')} data-testid="tickets-view">
      <header className="stats-bar">
        <h2>{t('tickets.title')}</h2>
        <div className="tickets-filter" role="group">
          {(['open', 'all'] as const).map((f) => (
            <button key={f} type="button" className="btn small" aria-pressed={filter === f} data-filter={f} onClick={() => setFilter(f)}>
              {t(`tickets.filter.${f}`)}
            </button>
          ))}
        </div>
      </header>
      <p className="muted">{t('tickets.intro')}</p>
      {error && <p className="danger pane-message" role="alert">{error}</p>}
      {!list && !error && <p className="muted pane-message">{t('common.loading')}</p>}
      {list && (
        <section className="stats-table-box">
          <header className="pane-title">
            <span>{t('tickets.total', { n: list.total })}</span>
          </header>
          {list.items.length === 0 ? (
            <p className="muted pane-message">{t('tickets.empty')}</p>
          ) : (
            <table className="stats-table tickets-table" data-testid="tickets-table">
              <thead>
                <tr>
                  <th>{t('tickets.col.camera')}</th>
                  <th>{t('tickets.col.state')}</th>
                  <th>{t('tickets.col.origin')}</th>
                  <th>{t('tickets.col.unit')}</th>
                  <th>{t('tickets.col.org')}</th>
                  <th>{t('tickets.col.age')}</th>
                  <th>{t('tickets.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((x) => (
                  <tr key={x.id} data-ticket={x.id} data-state={x.state}>
                    <th scope="row">
                      {x.cameraName}
                      {x.cameraStatus && <span className={`muted small camera-now ${x.cameraStatus}`}> · {t(`status.${x.cameraStatus}`)}</span>}
                    </th>
                    <td><span className={`ticket-state ${x.state}`}>{t(`tickets.state.${x.state}`)}</span></td>
                    <td title={x.note || x.reason || undefined}>{t(`tickets.origin.${x.origin}`)}{x.reason ? `（${reasonText(x.reason, t)}）` : ''}</td>
                    <td>
                      {x.unitName}
                      {(x.contact || x.phone) && <span className="muted small"> · {[x.contact, x.phone].filter(Boolean).join(' ')}</span>}
                    </td>
                    <td>{x.orgUnitName}</td>
                    <td>{age(x)}</td>
                    <td className="ticket-actions">
                      {ticketActionsFor(user.role, x.state).map((a) => (
                        <button key={a} type="button" className={`btn small ${a === 'fixed' ? 'primary' : ''}`} data-action={a} disabled={busy === x.id} onClick={() => void act(x, a)}>
                          {t(`tickets.action.${a}`)}
                        </button>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <Maintainers editable={user.role === 'admin'} />
    </section>
  );
}

/** Who maintains each network; the administrator edits it in place. */
function Maintainers({ editable }: { editable: boolean }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<Maintainer[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    maintenanceApi.maintainers(abort.signal).then(setRows, (err: unknown) => !abort.signal.aborted && setMessage(describeError(err, t)));
    return () => abort.abort();
  }, []);

  if (!rows) return null;
  const edit = (network: string, patch: Partial<Maintainer>) => setRows((r) => r && r.map((m) => (m.network === network ? { ...m, ...patch } : m)));
  async function save(m: Maintainer) {
    try {
      await maintenanceApi.setMaintainer(m.network, { unitName: m.unitName.trim(), contact: m.contact.trim(), phone: m.phone.trim() });
      setMessage(t('tickets.maintainer.saved'));
    } catch (err) {
      setMessage(describeError(err, t));
    }
  }
  return (
    <section className="stats-table-box" data-testid="maintainers">
      <header className="pane-title">
        <span>{t('tickets.maintainers')}</span>
        {message && <span className="muted small" role="status">{message}</span>}
      </header>
      <table className="stats-table maintainers-table">
        <thead>
          <tr>
            <th>{t('stats.name')}</th>
            <th>{t('tickets.maintainer.unit')}</th>
            <th>{t('tickets.maintainer.contact')}</th>
            <th>{t('tickets.maintainer.phone')}</th>
            {editable && <th />}
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr key={m.network} data-network={m.network}>
              <th scope="row">{m.networkName}</th>
              {editable ? (
                <>
                  <td><input value={m.unitName} maxLength={100} onChange={(e) => edit(m.network, { unitName: e.target.value })} aria-label={t('tickets.maintainer.unit')} /></td>
                  <td><input value={m.contact} maxLength={50} onChange={(e) => edit(m.network, { contact: e.target.value })} aria-label={t('tickets.maintainer.contact')} /></td>
                  <td><input value={m.phone} maxLength={30} onChange={(e) => edit(m.network, { phone: e.target.value })} aria-label={t('tickets.maintainer.phone')} /></td>
                  <td>
                    <button type="button" className="btn small" disabled={!m.unitName.trim()} onClick={() => void save(m)}>
                      {t('tickets.maintainer.save')}
                    </button>
                  </td>
                </>
              ) : (
                <>
                  <td>{m.unitName || <span className="muted">{t('tickets.maintainer.none')}</span>}</td>
                  <td>{m.contact}</td>
                  <td>{m.phone}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
