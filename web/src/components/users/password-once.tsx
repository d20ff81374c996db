// The initial password of an account just created or reset, shown to the administrator once (the server keeps only
// its hash), with a copy button. Closing it loses the password for good: a new one means another reset.
import { useState } from 'react';
import type { UserWithPassword } from '../../api/users-api';
import { useI18n } from '../../hooks/use-i18n';
import { Modal } from '../common/modal';

export function PasswordOnce({ made, onClose }: { made: UserWithPassword; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(made.initialPassword);
      setCopied(true);
    } catch {
      /* no clipboard (plain HTTP on a LAN address): the password stays selectable on screen */
    }
  };
  return (
    <Modal
      title={t('users.password.title')}
      onClose={onClose}
      testId="password-once"
      footer={
        <button type="button" className="btn primary small" onClick={onClose} data-testid="password-once-done">
          {t('users.password.done')}
        </button>
      }
    >
      <p>{t('users.password.for', { username: made.user.username, name: made.user.displayName })}</p>
      <p className="users-password">
        <code data-testid="initial-password">{made.initialPassword}</code>
        <button type="button" className="btn small" onClick={() => void copy()}>
          {copied ? t('users.password.copied') : t('users.password.copy')}
        </button>
      </p>
      <p className="warn small">{t('users.password.once')}</p>
    </Modal>
  );
}
