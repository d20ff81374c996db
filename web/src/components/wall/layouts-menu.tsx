// 布局 menu in the wall toolbar: save the wall under a name, load, overwrite, make default (restored at login), delete.
import { useState } from 'react';
import { describeError } from '../../api/http';
import type { SavedLayout } from '../../api/dispatch-api';
import { useI18n } from '../../hooks/use-i18n';
import type { SavedLayouts } from '../../hooks/use-saved-layouts';
import type { Message } from '../../i18n';
import { Popover } from '../common/popover';

interface Props {
  saved: SavedLayouts;
  onMessage: (message: Message) => void;
}

export function LayoutsMenu({ saved, onMessage }: Props) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  /** True when it worked; a refusal (400 naming the tile, 409 name taken) stays visible in the menu. */
  const run = async (fn: () => Promise<unknown>, done?: Message): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      if (done) onMessage(done);
      return true;
    } catch (err) {
      setError(describeError(err, t));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const item = (l: SavedLayout, close: () => void) => (
    <li key={l.id} data-layout-id={l.id} data-default={l.isDefault || undefined}>
      <button
        type="button"
        className="link layout-name"
        data-action="load-layout"
        disabled={busy}
        onClick={() => void run(() => saved.load(l), { key: 'layouts.loaded', params: { name: l.name } }).then((ok) => ok && close())}
      >
        {l.name} <span className="muted small">({l.layout})</span>
      </button>
      {l.isDefault && <span className="chip-mini">{t('layouts.default')}</span>}
      <span className="layout-item-actions">
        <button type="button" className="link" data-action="default-layout" aria-pressed={l.isDefault} disabled={busy} title={t('layouts.setDefault')} onClick={() => void run(() => saved.makeDefault(l))}>
          {l.isDefault ? '★' : '☆'}
        </button>
        <button type="button" className="link" data-action="overwrite-layout" disabled={busy} title={t('layouts.update')} onClick={() => void run(() => saved.overwrite(l), { key: 'layouts.saved', params: { name: l.name } })}>
          ⟳
        </button>
        <button
          type="button"
          className="link danger"
          data-action="delete-layout"
          disabled={busy}
          title={t('layouts.delete')}
          onClick={() => window.confirm(t('layouts.confirmDelete', { name: l.name })) && void run(() => saved.remove(l))}
        >
          ×
        </button>
      </span>
    </li>
  );

  return (
    <Popover label={t('layouts.title')} title={t('layouts.title')} testId="layouts-menu" align="right">
      {(close) => (
        <div className="popover-form layouts-pop">
          {saved.error && <p className="danger small">{saved.error}</p>}
          <ul className="layout-items">
            {saved.layouts.length === 0 && !saved.error && <li className="muted">{t('layouts.none')}</li>}
            {saved.layouts.map((l) => item(l, close))}
          </ul>
          <form
            className="layout-save"
            onSubmit={(e) => {
              e.preventDefault();
              const trimmed = name.trim();
              if (!trimmed) return;
              void run(() => saved.save(trimmed), { key: 'layouts.saved', params: { name: trimmed } }).then((ok) => ok && setName(''));
            }}
          >
            <input type="text" data-testid="layout-name" aria-label={t('layouts.name')} placeholder={t('layouts.namePlaceholder')} maxLength={50} value={name} onChange={(e) => setName(e.target.value)} />
            <button type="submit" className="btn small primary" data-testid="layout-save" disabled={busy || !name.trim()}>
              {t('layouts.save')}
            </button>
          </form>
          {error && (
            <p className="danger small" role="alert" data-testid="layouts-error">
              {error}
            </p>
          )}
        </div>
      )}
    </Popover>
  );
}
