// 新建用户 / 编辑用户: name, phone, unit (the shared OrgUnitPicker, starting at the administrator's own unit) and a
// role among those that fit the chosen unit's level and that this administrator may grant (the server's rule,
// server/domain/user-roles.ts). Creating answers the generated initial password, which the caller shows once.
// Nobody edits their own role or unit: those fields are fixed on one's own account.
import { useState, type FormEvent } from 'react';
import type { OrgLevel, Role } from '../../../../server/contracts/api';
import { ApiError, describeError, type User } from '../../api/http';
import { usersApi, type ManagedUser, type UpdateUserBody, type UserWithPassword } from '../../api/users-api';
import { useScopeRoot } from '../../hooks/use-org-units';
import { useI18n } from '../../hooks/use-i18n';
import { levelBelow, levelOfPath, roleOptions } from '../../lib/users-logic';
import { Modal } from '../common/modal';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { FieldError } from '../share/field-error';

interface Props {
  me: User;
  /** The account to edit; none: a new one. */
  editing: ManagedUser | null;
  onClose: () => void;
  onCreated: (made: UserWithPassword) => void;
  onSaved: (user: ManagedUser) => void;
}

type Field = 'username' | 'displayName' | 'phone' | 'orgUnitId' | 'role';

export function UserFormDialog({ me, editing, onClose, onCreated, onSaved }: Props) {
  const { t } = useI18n();
  const root = useScopeRoot();
  const self = editing?.id === me.id;
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState(editing?.displayName ?? '');
  const [phone, setPhone] = useState(editing?.phone ?? '');
  const [chain, setChain] = useState<number[]>([]);
  const [role, setRole] = useState<Role | ''>(editing?.role ?? '');
  const [error, setError] = useState<{ field: Field | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  // The unit's level: from the picker's depth below the administrator's own unit, or the account's current unit.
  const moving = chain.length > 0 || !editing;
  const level: OrgLevel | undefined = !root ? undefined : moving ? levelBelow(root.level, chain.length) : levelOfPath(editing!.orgUnitPath);
  const options = roleOptions(level, root?.level);
  const shownRole = role && (options.includes(role) || (self && role === editing?.role)) ? role : '';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!root) return;
    if (!editing && !username.trim()) return setError({ field: 'username', message: t('users.form.usernameHint') });
    if (!displayName.trim()) return setError({ field: 'displayName', message: t('users.form.displayName') });
    if (!shownRole) return setError({ field: 'role', message: options.length ? t('users.form.roleHint') : t('users.form.noRole') });
    setBusy(true);
    setError(null);
    const orgUnitId = chain.at(-1) ?? root.id;
    try {
      if (editing) {
        const change: UpdateUserBody = { displayName: displayName.trim(), phone: phone.trim() || null };
        if (!self && shownRole !== editing.role) change.role = shownRole;
        if (!self && chain.length > 0 && orgUnitId !== editing.orgUnitId) change.orgUnitId = orgUnitId;
        onSaved(await usersApi.update(editing.id, change));
      } else {
        onCreated(await usersApi.create({ username: username.trim(), displayName: displayName.trim(), role: shownRole, orgUnitId, phone: phone.trim() || null }));
      }
    } catch (err) {
      const field = err instanceof ApiError ? (err.field as Field | undefined) ?? null : null;
      setError({ field, message: describeError(err, t) });
      setBusy(false);
    }
  };

  const fieldError = (field: Field) => <FieldError field={field} message={error?.field === field ? error.message : undefined} />;
  return (
    <Modal
      title={editing ? t('users.form.editTitle', { username: editing.username }) : t('users.form.createTitle')}
      onClose={onClose}
      testId="user-form"
      footer={
        <>
          <button type="button" className="btn small" onClick={onClose}>{t('common.cancel')}</button>
          <button type="submit" form="user-form" className="btn primary small" disabled={busy || !root} data-testid="user-form-submit">
            {busy ? t('common.saving') : editing ? t('users.form.save') : t('users.form.create')}
          </button>
        </>
      }
    >
      <form id="user-form" className="users-form" onSubmit={submit} noValidate>
        {!editing && (
          <label>
            <span>{t('users.form.username')}</span>
            <input name="username" value={username} maxLength={32} autoComplete="off" onChange={(e) => setUsername(e.target.value)} />
            <small className="muted">{t('users.form.usernameHint')}</small>
            {fieldError('username')}
          </label>
        )}
        <label>
          <span>{t('users.form.displayName')}</span>
          <input name="displayName" value={displayName} maxLength={64} onChange={(e) => setDisplayName(e.target.value)} />
          {fieldError('displayName')}
        </label>
        <label>
          <span>{t('users.form.phone')}</span>
          <input name="phone" value={phone} maxLength={20} inputMode="tel" onChange={(e) => setPhone(e.target.value)} />
          {fieldError('phone')}
        </label>
        <div className="users-form-row">
          <span>{t('users.form.unit')}</span>
          {editing && <small className="muted" data-testid="user-form-unit-now">{t('users.form.unitNow', { path: editing.orgUnitPath })}</small>}
          {self ? (
            <small className="muted">{t('users.form.selfNote')}</small>
          ) : (
            <OrgUnitPicker
              testId="user-form-unit"
              value={chain}
              onChange={setChain}
              anyLabel={editing ? t('users.form.unitKeep') : t('users.form.unitHere')}
              label={t('users.form.unit')}
            />
          )}
          {fieldError('orgUnitId')}
        </div>
        <label>
          <span>{t('users.form.role')}</span>
          <select name="role" value={shownRole} disabled={self} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="">—</option>
            {(self && editing ? [editing.role] : options).map((r) => (
              <option key={r} value={r}>{t(`role.${r}`)}</option>
            ))}
          </select>
          <small className="muted">{options.length || self ? t('users.form.roleHint') : t('users.form.noRole')}</small>
          {fieldError('role')}
        </label>
        {editing && !self && <p className="warn small">{t('users.form.rightsNote')}</p>}
        {error && error.field === null && <p className="danger small" role="alert">{error.message}</p>}
      </form>
    </Modal>
  );
}
