// 视频调度 received: "县中心 推送了 N 路视频: <note>" above the wall, with accept (load into the wall) or dismiss.
import { useState } from 'react';
import { describeError } from '../../api/http';
import { dispatchApi } from '../../api/dispatch-api';
import type { PendingPush } from '../../hooks/use-dispatch-feed';
import { useI18n } from '../../hooks/use-i18n';

interface Props {
  pushes: PendingPush[];
  onAccepted: (push: PendingPush) => Promise<void>;
  onAnswered: (id: number) => void;
}

export function PushBanner({ pushes, onAccepted, onAnswered }: Props) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const push = pushes[0];
  if (!push) return null;

  const answer = async (verb: 'accept' | 'dismiss') => {
    setBusy(true);
    setError(null);
    try {
      await dispatchApi.answerPush(push.id, verb);
      if (verb === 'accept') await onAccepted(push);
      onAnswered(push.id);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="push-banner" role="alert" data-testid="push-banner" data-push-id={push.id}>
      <span className="push-icon" aria-hidden>
        ▶
      </span>
      <div className="push-text">
        <b>{t('push.banner', { from: push.fromUnitName, count: push.cameraIds.length, note: push.note })}</b>
        <span className="muted small">
          {' '}· {t('push.sentBy', { name: push.sentBy })}
          {pushes.length > 1 && ` · +${pushes.length - 1}`}
        </span>
        {error && <span className="danger small"> · {error}</span>}
      </div>
      <button type="button" className="btn small primary" data-action="accept-push" disabled={busy} onClick={() => void answer('accept')}>
        {t('push.accept')}
      </button>
      <button type="button" className="btn small" data-action="dismiss-push" disabled={busy} onClick={() => void answer('dismiss')}>
        {t('push.dismiss')}
      </button>
    </div>
  );
}
