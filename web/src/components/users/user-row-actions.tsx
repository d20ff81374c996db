// One account's actions in the list: 编辑, 重置密码, 停用/启用, 解锁 (when locked), 删除. The ones that sign the user
// out or cannot be undone ask once more in place. One's own account offers only 编辑 (the server refuses the rest).
import { useState } from 'react';
import { describeError } from '../../api/http';
import { usersApi, type ManagedUser, type UserWithPassword } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';

type Confirmable = 'disable' | 'resetPassword' | 'delete';

interface Props {
  user: ManagedUser;
  self: boolean;
  onEdit: () => void;
  onChanged: () => void;
  onPassword: (made: UserWithPassword) => void;
}

export function UserRowActions({ user, self, onEdit, onChanged, onPassword }: Props) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState<Confirmable | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setConfirming(null);
      onChanged();
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };
  const confirmed: Record<Confirmable, () => Promise<unknown>> = {
    disable: () => usersApi.disable(user.id),
    resetPassword: async () => onPassword(await usersApi.resetPassword(user.id)),
    delete: () => usersApi.remove(user.id),
  };

  if (user.status === 'deleted') return null;
  if (confirming) {
    return (
      <span className="users-actions" data-confirming={confirming}>
        <button type="button" className="btn small warn" data-action={`confirm-${confirming}`} disabled={busy} onClick={() => void run(confirmed[confirming])}>
          {t(`users.confirm.${confirming}`)}
        </button>
        <button type="button" className="btn small ghost" onClick={() => setConfirming(null)}>{t('common.cancel')}</button>
        {error && <small className="danger" role="alert">{error}</small>}
      </span>
    );
  }
  return (
    <span className="users-actions">
      <button type="button" className="btn small" data-action="edit" onClick={onEdit}>{t('users.edit')}</button>
      {!self && (
        <>
          <button type="button" className="btn small" data-action="reset-password" onClick={() => setConfirming('resetPassword')}>{t('users.resetPassword')}</button>
          {user.status === 'locked' && (
            <button type="button" className="btn small" data-action="unlock" disabled={busy} onClick={() => void run(() => usersApi.unlock(user.id))}>{t('users.unlock')}</button>
          )}
          {user.disabled ? (
            <button type="button" className="btn small" data-action="enable" disabled={busy} onClick={() => void run(() => usersApi.enable(user.id))}>{t('users.enable')}</button>
          ) : (
            <button type="button" className="btn small" data-action="disable" onClick={() => setConfirming('disable')}>{t('users.disable')}</button>
          )}
          <button type="button" className="btn small ghost" data-action="delete" onClick={() => setConfirming('delete')}>{t('users.delete')}</button>
        </>
      )}
      {error && <small className="danger" role="alert">{error}</small>}
    </span>
  );
}
