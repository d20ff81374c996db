import type { User } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';
import { useSocketConnected } from '../../hooks/use-socket';
import { LangToggle } from './lang-toggle';

type NavView = 'wall' | 'map' | 'patrol' | 'stats' | 'tickets' | 'devices' | 'share' | 'audit' | 'users';
/** The navigation's views, and 我的账户, opened from the user's name. */
export type ConsoleView = NavView | 'account';

// Which views a role sees; the server enforces the same roles on the APIs behind each view.
const VIEWS: Record<NavView, readonly User['role'][] | 'all'> = {
  wall: 'all',
  map: 'all',
  patrol: ['admin', 'county_operator', 'township_officer'],
  stats: 'all',
  tickets: 'all',
  devices: ['admin', 'county_operator', 'township_officer'],
  share: ['admin', 'county_operator', 'township_officer'],
  audit: ['admin'],
  users: ['admin'],
};

export function viewsFor(role: User['role']): NavView[] {
  return (Object.keys(VIEWS) as NavView[]).filter((v) => VIEWS[v] === 'all' || VIEWS[v].includes(role));
}

interface Props {
  user: User;
  view: ConsoleView;
  onView: (view: ConsoleView) => void;
  onLogout: () => void;
  /** Counts shown on a view's button (runs waiting on 视频巡查). */
  badges?: Partial<Record<NavView, number>>;
}

export function AppHeader({ user, view, onView, onLogout, badges = {} }: Props) {
  const { t } = useI18n();
  const connected = useSocketConnected();
  return (
    <header className="app-header">
      <div className="brand">
        <span className="brand-mark" aria-hidden />
        <h1>{t('app.name')}</h1>
        <nav className="view-nav" aria-label={t('app.name')}>
          {viewsFor(user.role).map((v) => (
            <button key={v} type="button" className="nav-btn" aria-pressed={view === v} data-view={v} onClick={() => onView(v)}>
              {t(`nav.${v}`)}
              {(badges[v] ?? 0) > 0 && <span className="badge" data-testid={`nav-badge-${v}`}>{badges[v]}</span>}
            </button>
          ))}
        </nav>
      </div>
      <div className="header-info">
        <span className={`link-state ${connected ? 'up' : 'down'}`} title={connected ? t('header.realtimeOn') : t('header.realtimeOff')}>
          <span className="status-dot" aria-hidden />
          <span className="sr-only">{connected ? t('header.realtimeOn') : t('header.realtimeOff')}</span>
        </span>
        <span className="header-field" title={t('header.org')} data-testid="user-org">
          {user.orgUnitName}
        </span>
        <span className="header-field role" title={t('header.role')} data-testid="user-role">
          {t(`role.${user.role}`)}
        </span>
        <button
          type="button"
          className="header-field user header-account"
          title={t('header.account')}
          aria-pressed={view === 'account'}
          data-testid="user-name"
          data-view="account"
          onClick={() => onView('account')}
        >
          {user.displayName}
        </button>
        <LangToggle />
        <button type="button" className="btn ghost small" onClick={onLogout} data-testid="logout">
          {t('header.logout')}
        </button>
      </div>
    </header>
  );
}
