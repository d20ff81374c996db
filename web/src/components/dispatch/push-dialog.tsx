// 视频调度 sent: push the current wall's cameras (or a saved layout's) to a subordinate unit's wall, with a reason.
import { useState } from 'react';
import { MAX_PUSH_CAMERAS, MAX_PUSH_NOTE_LENGTH } from '../../../../server/domain/dispatch-limits';
import { describeError } from '../../api/http';
import { dispatchApi, type SavedLayout } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { Modal } from '../common/modal';
import { OrgUnitPicker } from '../common/org-unit-picker';

interface Props {
  wallCameraIds: number[];
  /** The ids are a map box selection, not the wall's cameras (only the label differs). */
  selection?: boolean;
  layouts: SavedLayout[];
  onClose: () => void;
  onSent: (unitName: string, count: number) => void;
}

export function PushDialog({ wallCameraIds, selection = false, layouts, onClose, onSent }: Props) {
  const { t } = useI18n();
  const { targets } = useDispatch();
  const [source, setSource] = useState('wall');
  const [toUnitId, setToUnitId] = useState<number | null>(targets.length === 1 ? targets[0].id : null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const layout = layouts.find((l) => `layout:${l.id}` === source);
  const ids = layout ? layout.cameraIds.filter((id): id is number => id !== null) : wallCameraIds;
  const cameraIds = [...new Set(ids)].slice(0, MAX_PUSH_CAMERAS);

  const send = async () => {
    if (cameraIds.length === 0) return setError(t('push.empty'));
    if (toUnitId === null) return setError(t('dispatch.chooseUnit'));
    if (!note.trim()) return setError(t('push.noteRequired'));
    setBusy(true);
    setError(null);
    try {
      const push = await dispatchApi.pushLayout({ toUnitId, cameraIds, note: note.trim() });
      onSent(push.toUnitName, push.cameraIds.length);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <>
      <span className="modal-error danger" role="alert" data-testid="dialog-error">{error ?? ''}</span>
      <button type="button" className="btn" onClick={onClose}>
        {t('common.cancel')}
      </button>
      <button type="button" className="btn primary" data-action="send-push" disabled={busy || targets.length === 0} onClick={() => void send()}>
        {busy ? t('common.saving') : t('push.send')}
      </button>
    </>
  );

  return (
    <Modal title={t('push.title')} onClose={onClose} footer={footer} testId="push-dialog">
      <div className="form-col">
        <label className="field">
          <span>{t('push.source')}</span>
          <select data-field="push-source" value={source} onChange={(e) => setSource(e.target.value)}>
            <option value="wall">{t(selection ? 'push.selection' : 'push.currentWall', { count: wallCameraIds.length })}</option>
            {layouts.map((l) => (
              <option key={l.id} value={`layout:${l.id}`}>
                {t('push.savedLayout', { name: l.name, count: l.cameraIds.filter((id) => id !== null).length })}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{t('push.toUnit')}</span>
          {targets.length === 0 ? (
            <span className="muted">{t('dispatch.noUnits')}</span>
          ) : (
            <OrgUnitPicker
              field="push-to-unit"
              units={targets}
              depth={1}
              value={toUnitId === null ? [] : [toUnitId]}
              anyLabel={t('dispatch.chooseUnit')}
              onChange={([id = null]) => setToUnitId(id)}
            />
          )}
        </label>
        <label className="field">
          <span>{t('push.note')}</span>
          <textarea data-field="push-note" rows={3} maxLength={MAX_PUSH_NOTE_LENGTH} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
      </div>
    </Modal>
  );
}
