// A small modal dialog: backdrop, title bar, Esc closes. Keys typed inside never reach the wall's hotkeys.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
  /** data-testid of the dialog, for end-to-end tests. */
  testId?: string;
}

export function Modal({ title, onClose, children, footer, wide, testId }: Props) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Focus the first field so the operator can type at once; fall back to the dialog itself.
    const first = ref.current?.querySelector<HTMLElement>('select, input, textarea, button.btn');
    (first ?? ref.current)?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div
        ref={ref}
        className={`modal${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        tabIndex={-1}
        data-testid={testId}
        onKeyDown={(e) => {
          e.stopPropagation(); // the wall's layout keys must not fire while typing a note
          if (e.key === 'Escape') onClose();
        }}
      >
        <header className="modal-head">
          <h2>{title}</h2>
          <button type="button" className="tile-close" aria-label={t('common.close')} title={t('common.close')} onClick={onClose}>
            ×
          </button>
        </header>
        <div className="modal-body">{children}</div>
        {footer && <footer className="modal-foot">{footer}</footer>}
      </div>
    </div>
  );
}
