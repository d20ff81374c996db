// 用户列表: the accounts of the administrator's area, filtered by unit, role, status and text, one server page at a
// time; each row with its status (locked until when, must change the password) and its actions; 新建用户 and the
// CSV export of the filtered unit.
import { useEffect, useState } from 'react';
import { describeError, type User } from '../../api/http';
import { usersExportUrl, type ManagedUser, type UserWithPassword } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';
import { useUsersPage } from '../../hooks/use-users-page';
import { chinaTime } from '../../lib/audit-logic';
import { pageCount, pageRange } from '../../lib/devices-logic';
import { EMPTY_USER_FILTERS, ROLES, STATUSES, USERS_PAGE_SIZE, withUserFilter, type UserFilters } from '../../lib/users-logic';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { PasswordOnce } from './password-once';
import { UserFormDialog } from './user-form-dialog';
import { UserRowActions } from './user-row-actions';

const SEARCH_PAUSE_MS = 300;

export function UserList({ me }: { me: User }) {
  const { t } = useI18n();
  const [filters, setFilters] = useState<UserFilters>(EMPTY_USER_FILTERS);
  const [draftQ, setDraftQ] = useState('');
  const [units, setUnits] = useState<number[]>([]);
  const [version, setVersion] = useState(0);
  const page = useUsersPage(filters, version);
  const [dialog, setDialog] = useState<{ editing: ManagedUser | null } | null>(null);
  const [password, setPassword] = useState<UserWithPassword | null>(null);
  const refresh = () => setVersion((n) => n + 1);

  useEffect(() => {
    if (draftQ === filters.q) return;
    const timer = setTimeout(() => setFilters((f) => withUserFilter(f, { q: draftQ })), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draftQ, filters.q]);

  const pages = pageCount(page.total, USERS_PAGE_SIZE);
  const range = pageRange(filters.page, page.total, USERS_PAGE_SIZE);
  const chooseUnits = (chain: number[]) => {
    setUnits(chain);
    setFilters((f) => withUserFilter(f, { orgUnitId: chain.at(-1) ?? null }));
  };

  return (
    <div className="users-list">
      <form className="devices-filters" onSubmit={(e) => e.preventDefault()}>
        <OrgUnitPicker testId="users-filter-unit" value={units} onChange={chooseUnits} anyLabel={t('users.unitAny')} />
        <select data-testid="users-filter-role" value={filters.role} onChange={(e) => setFilters((f) => withUserFilter(f, { role: e.target.value as UserFilters['role'] }))}>
          <option value="">{t('users.roleAny')}</option>
          {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}`)}</option>)}
        </select>
        <select data-testid="users-filter-status" value={filters.status} onChange={(e) => setFilters((f) => withUserFilter(f, { status: e.target.value as UserFilters['status'] }))}>
          <option value="">{t('users.statusAny')}</option>
          {STATUSES.map((s) => <option key={s} value={s}>{t(`users.status.${s}`)}</option>)}
        </select>
        <input type="search" data-testid="users-filter-q" placeholder={t('users.searchPlaceholder')} value={draftQ} maxLength={64} onChange={(e) => setDraftQ(e.target.value)} />
        <button type="button" className="btn small primary" data-testid="users-create" onClick={() => setDialog({ editing: null })}>{t('users.create')}</button>
        <a className="btn small" href={usersExportUrl(filters.orgUnitId ?? undefined)} download data-testid="users-export">{t('users.export')}</a>
      </form>
      {page.error !== null && <p className="danger pane-message" role="alert">{describeError(page.error, t)}</p>}
      <div className="devices-table-box">
        <table className="devices-table" data-table="users" aria-busy={page.loading}>
          <thead>
            <tr>
              <th>{t('users.col.username')}</th>
              <th>{t('users.col.name')}</th>
              <th>{t('users.col.role')}</th>
              <th>{t('users.col.unit')}</th>
              <th>{t('users.col.phone')}</th>
              <th>{t('users.col.status')}</th>
              <th>{t('users.col.lastLogin')}</th>
              <th>{t('users.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((u) => (
              <tr key={u.id} data-user-id={u.id} data-username={u.username} data-status={u.status} data-role={u.role}>
                <td className="users-mono">
                  {u.username}
                  {u.id === me.id && <span className="muted small"> （{t('users.you')}）</span>}
                </td>
                <td>{u.displayName}</td>
                <td>{t(`role.${u.role}`)}</td>
                <td data-field="unit">{u.orgUnitPath}</td>
                <td>{u.phone ?? <span className="muted">—</span>}</td>
                <td>
                  <span className={`users-badge ${u.status}`} data-field="status">{t(`users.status.${u.status}`)}</span>
                  {u.mustChangePassword && u.status !== 'deleted' && <span className="users-badge must-change">{t('users.mustChange')}</span>}
                  {u.lockedUntil && <span className="muted small"> {t('users.lockedUntil', { time: chinaTime(u.lockedUntil).slice(11, 16) })}</span>}
                </td>
                <td>{u.lastLoginAt ? <time dateTime={u.lastLoginAt}>{chinaTime(u.lastLoginAt)}</time> : <span className="muted">{t('users.never')}</span>}</td>
                <td>
                  <UserRowActions user={u} self={u.id === me.id} onEdit={() => setDialog({ editing: u })} onChanged={refresh} onPassword={setPassword} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!page.loading && page.items.length === 0 && page.error === null && <p className="muted pane-message">{t('users.none')}</p>}
      </div>
      <footer className="devices-pager">
        <span className="muted" data-testid="users-total" data-total={page.total}>{t('devices.range', { from: range.from, to: range.to, total: range.total })}</span>
        <button type="button" className="btn small" disabled={filters.page === 0} onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}>{t('devices.prev')}</button>
        <span>{t('devices.pageOf', { page: filters.page + 1, pages })}</span>
        <button type="button" className="btn small" disabled={filters.page + 1 >= pages} onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}>{t('devices.next')}</button>
      </footer>
      {dialog && (
        <UserFormDialog
          me={me}
          editing={dialog.editing}
          onClose={() => setDialog(null)}
          onCreated={(made) => {
            setDialog(null);
            setPassword(made);
            refresh();
          }}
          onSaved={() => {
            setDialog(null);
            refresh();
          }}
        />
      )}
      {password && <PasswordOnce made={password} onClose={() => setPassword(null)} />}
    </div>
  );
}
