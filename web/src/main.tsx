import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nProvider } from './i18n/provider';
import './styles/base.css';

// A share link (/r/<token>) opens the resident page; everything else is the staff console. Each is its own chunk,
// so a phone never fetches the console's code and an operator never fetches the resident page.
const isResident = window.location.pathname.startsWith('/r/');
const Root = isResident
  ? lazy(() => import('./resident/resident-app').then((m) => ({ default: m.ResidentApp })))
  : lazy(() => import('./app').then((m) => ({ default: m.App })));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <Suspense fallback={<div className="app-loading"><span className="spinner" aria-hidden /></div>}>
        <Root />
      </Suspense>
    </I18nProvider>
  </StrictMode>,
);
