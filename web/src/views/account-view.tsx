// 我的账户 (every signed-in user): who you are, change your password (the shared policy shown and checked before
// submit), and the sessions open in your name with 结束 for each. Loaded lazily from the console page.
import { useState } from 'react';
import type { User } from '../api/http';
import { ChangePasswordForm } from '../components/account/change-password-form';
import { SessionList } from '../components/account/session-list';
import { useI18n } from '../hooks/use-i18n';
import '../styles/devices.css';
import '../styles/users.css';

interface Props {
  user: User;
  onSignedOut: () => void;
}

export function AccountView({ user, onSignedOut }: Props) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const [changed, setChanged] = useState(false);
  return (
    <section className="page-view devices-view account-view" data-testid="account-view" aria-label={t('account.title')}>
      <header className="users-head">
        <h2>{t('account.title')}</h2>
        <p className="muted" data-testid="account-who">
          {user.displayName}（{user.username}）· {t(`role.${user.role}`)} · {user.orgUnitName}
        </p>
      </header>
      <div className="account-layout">
        <section className="account-box">
          <h3>{t('account.changePassword')}</h3>
          <ChangePasswordForm
            username={user.username}
            testId="account-password"
            onChanged={() => {
              setChanged(true);
              setVersion((n) => n + 1);
            }}
          />
          {changed && <p className="ok small" role="status" data-testid="password-changed">{t('account.changed')}</p>}
        </section>
        <SessionList version={version} onEndedCurrent={onSignedOut} />
      </div>
    </section>
  );
}
