import { lazy, Suspense } from 'react';
import { describeError } from './api/http';
import { useI18n } from './hooks/use-i18n';
import { useSession } from './hooks/use-session';
import { ForcedChangePage } from './pages/forced-change-page';
import { LoginPage } from './pages/login-page';

const ConsolePage = lazy(() => import('./pages/console-page'));

export function App() {
  const { t } = useI18n();
  const { state, login, logout, refresh } = useSession();
  const loading = <div className="app-loading muted">{t('app.loading')}</div>;

  if (state.status === 'loading') return loading;
  if (state.status === 'anonymous') {
    const notice = state.expired ? t('error.unauthorized') : state.error ? describeError(state.error, t) : undefined;
    return <LoginPage onLogin={login} notice={notice} />;
  }
  if (state.session.mustChangePassword) {
    // The server answers nothing but this until the initial password is replaced (see server/plugins/auth.ts).
    return <ForcedChangePage session={state.session} onChanged={() => void refresh()} onLogout={() => void logout()} />;
  }
  return (
    <Suspense fallback={loading}>
      {/* key: a different user gets a fresh console (tree, wall, socket subscriptions) */}
      <ConsolePage key={state.session.user.id} session={state.session} freshLogin={!!state.fresh} onLogout={() => void logout()} />
    </Suspense>
  );
}
