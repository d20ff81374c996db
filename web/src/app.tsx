import { lazy, Suspense, useEffect, useState } from 'react';
import { describeError } from './api/http';
import { useI18n } from './hooks/use-i18n';
import { useSession } from './hooks/use-session';
import { useSetupStatus } from './hooks/use-setup-status';
import { ForcedChangePage } from './pages/forced-change-page';
import { LoginPage } from './pages/login-page';
import { SetupPage } from './pages/setup-page';

const ConsolePage = lazy(() => import('./pages/console-page'));

export function App() {
  const { t } = useI18n();
  const { state, login, logout, refresh } = useSession();
  // A console without users shows its one-time setup page instead of a login nobody could pass.
  const [setupProbe, setSetupProbe] = useState(0);
  const [setupNotice, setSetupNotice] = useState<string>();
  const setup = useSetupStatus(state.status === 'anonymous', setupProbe);
  // The setup's "now sign in" notice is for the one login right after it, not for every later sign-out.
  useEffect(() => {
    if (state.status === 'authenticated') setSetupNotice(undefined);
  }, [state.status]);
  const loading = <div className="app-loading muted">{t('app.loading')}</div>;

  if (state.status === 'loading') return loading;
  if (state.status === 'anonymous') {
    if (setup === undefined) return loading;
    if (setup?.needed) {
      const done = (notice: string) => {
        setSetupNotice(notice);
        setSetupProbe((n) => n + 1);
      };
      return <SetupPage status={setup} onLogin={login} onDone={done} />;
    }
    const notice = setupNotice ?? (state.expired ? t('error.unauthorized') : state.error ? describeError(state.error, t) : undefined);
    return <LoginPage key={notice} onLogin={login} notice={notice} />;
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
