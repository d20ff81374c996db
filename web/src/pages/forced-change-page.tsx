// The forced password change after signing in with an initial password (created or reset by an administrator):
// the server answers nothing else until it is done, so this page stands in for the console.
import type { SessionInfo } from '../api/http';
import { ChangePasswordForm } from '../components/account/change-password-form';
import { LangToggle } from '../components/common/lang-toggle';
import { useI18n } from '../hooks/use-i18n';
import '../styles/users.css';

interface Props {
  session: SessionInfo;
  onChanged: () => void;
  onLogout: () => void;
}

export function ForcedChangePage({ session, onChanged, onLogout }: Props) {
  const { t } = useI18n();
  const { user } = session;
  return (
    <div className="login-page">
      <div className="login-lang">
        <LangToggle />
      </div>
      <div className="login-card forced-card" data-testid="forced-change">
        <div className="brand login-brand">
          <span className="brand-mark" aria-hidden />
          <h1>{t('forced.title')}</h1>
        </div>
        <p className="muted">{t('forced.hello', { name: user.displayName, username: user.username })}</p>
        <p className="muted small">{t('forced.intro')}</p>
        <ChangePasswordForm username={user.username} onChanged={onChanged} testId="forced-password" />
        <button type="button" className="btn ghost small" onClick={onLogout} data-testid="forced-logout">
          {t('forced.logout')}
        </button>
      </div>
    </div>
  );
}
