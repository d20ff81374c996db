// 用户管理 (administrators): the accounts of the administrator's area with their actions, and the bulk import, as
// sub-tabs. Loaded lazily from the console page. Reuses the devices view's tabs, filters and tables (devices.css).
import { useState } from 'react';
import type { User } from '../api/http';
import { UserImportPanel } from '../components/users/user-import-panel';
import { UserList } from '../components/users/user-list';
import { useI18n } from '../hooks/use-i18n';
import '../styles/stats.css';
import '../styles/devices.css';
import '../styles/users.css';

const TABS = ['list', 'import'] as const;
type Tab = (typeof TABS)[number];

export function UsersView({ me }: { me: User }) {
  const { t } = useI18n();
  const [tab, setTab] = useState<Tab>('list');
  // The list remounts after an import, so it shows the new accounts.
  const [imports, setImports] = useState(0);
  return (
    <section className="page-view devices-view users-view" data-testid="users-view" aria-label={t('users.title')}>
      <header className="users-head">
        <h2>{t('users.title')}</h2>
        <p className="muted">{t('users.intro')}</p>
      </header>
      <nav className="devices-tabs" role="tablist">
        {TABS.map((k) => (
          <button key={k} type="button" role="tab" className="devices-tab" data-tab={k} aria-selected={tab === k} onClick={() => setTab(k)}>
            {t(`users.tab.${k}`)}
          </button>
        ))}
      </nav>
      <div className="devices-panel" hidden={tab !== 'list'}>
        <UserList key={imports} me={me} />
      </div>
      {/* Kept mounted once opened: the passwords of a commit stay on screen while the list is looked at. */}
      <ImportTab show={tab === 'import'} onImported={() => setImports((n) => n + 1)} />
    </section>
  );
}

function ImportTab({ show, onImported }: { show: boolean; onImported: () => void }) {
  const [opened, setOpened] = useState(show);
  if (show && !opened) setOpened(true);
  return opened ? <div className="devices-panel" hidden={!show}><UserImportPanel onImported={onImported} /></div> : null;
}
