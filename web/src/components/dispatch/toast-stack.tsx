// Toasts at the bottom right of the wall: new tasks (with the beep), overdue, feedback to verify, own results.
import type { Toast } from '../../hooks/use-dispatch-feed';
import { useI18n } from '../../hooks/use-i18n';
import { formatMessage } from '../../i18n';

interface Props {
  toasts: Toast[];
  onDismiss: (id: number) => void;
  onOpen: (dangerId: number) => void;
}

export function ToastStack({ toasts, onDismiss, onOpen }: Props) {
  const { t } = useI18n();
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((toast) => (
        <div key={toast.id} className={`toast ${toast.tone}`} role={toast.tone === 'alert' ? 'alert' : 'status'} data-testid="toast" data-tone={toast.tone} data-danger-id={toast.dangerId}>
          <div className="toast-text">
            {formatMessage(t, toast.message)}
            {toast.soundBlocked && <small className="muted">{t('toast.soundBlocked')}</small>}
          </div>
          {toast.dangerId !== undefined && (
            <button
              type="button"
              className="btn small"
              data-action="open-toast"
              onClick={() => {
                onOpen(toast.dangerId!);
                onDismiss(toast.id);
              }}
            >
              {t('toast.open')}
            </button>
          )}
          <button type="button" className="tile-close" aria-label={t('common.close')} onClick={() => onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
