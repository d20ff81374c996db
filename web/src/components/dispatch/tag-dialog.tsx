// 标注隐患: the captured frame, category, severity and note; optionally dispatched at once to the subordinate unit
// that contains the camera. If the danger is saved but the dispatch fails, the dialog stays open to retry the
// dispatch alone (the danger is not created twice).
import { useState } from 'react';
import { MAX_NOTE_LENGTH } from '../../../../server/domain/dispatch-limits';
import { describeError } from '../../api/http';
import { dispatchApi, type Severity } from '../../api/dispatch-api';
import { useDispatch } from '../../hooks/use-dispatch-context';
import { useI18n } from '../../hooks/use-i18n';
import { defaultDeadlineHours, fromLocalInput } from '../../lib/dispatch-logic';
import { Modal } from '../common/modal';
import type { TileCamera } from '../wall/wall-state';
import { DispatchFields, initialDispatch, type DispatchValue } from './dispatch-fields';
import { unitLabel } from '../../lib/org-logic';

export interface TagRequest {
  camera: TileCamera;
  evidenceJpeg: string;
  capturedAt: string;
}

interface Props extends TagRequest {
  onClose: () => void;
  onDone: (result: { dangerId: number; dispatchedTo: string | null }) => void;
}

const SEVERITIES: Severity[] = ['general', 'major', 'critical'];

export function TagDialog({ camera, evidenceJpeg, capturedAt, onClose, onDone }: Props) {
  const { t, lang } = useI18n();
  const setup = useDispatch();
  const { taxonomy, canDispatch, targets } = setup;
  const labelOf = (unit: { name: string; nameEn: string | null } | undefined) => (unit ? unitLabel(unit, lang) : '');
  const [category, setCategory] = useState('');
  const [severity, setSeverity] = useState<Severity>('general');
  const [note, setNote] = useState('');
  const [dispatchNow, setDispatchNow] = useState(canDispatch);
  const [target, setTarget] = useState<DispatchValue>(() => initialDispatch(defaultDeadlineHours(taxonomy, 'general')));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [createdId, setCreatedId] = useState<number | null>(null);

  const category0 = category || taxonomy?.categories[0]?.key || '';
  const wantsDispatch = dispatchNow && canDispatch && targets.length > 0;
  const time = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'medium', hour12: false }).format(new Date(capturedAt));

  const submit = async () => {
    if (wantsDispatch && target.toUnitId === null) return setError(t('dispatch.chooseUnit'));
    setBusy(true);
    setError(null);
    let id = createdId;
    try {
      if (id === null) {
        const danger = await dispatchApi.createDanger({
          cameraId: camera.id, capturedAt, category: category0, severity, note: note.trim() || undefined, evidenceJpeg,
        });
        id = danger.id;
        setCreatedId(id);
      }
      if (!wantsDispatch || target.toUnitId === null) return onDone({ dangerId: id, dispatchedTo: null });
      await dispatchApi.dispatchDanger(id, {
        toUnitId: target.toUnitId, deadline: fromLocalInput(target.deadline), note: target.note.trim() || undefined,
      });
      onDone({ dangerId: id, dispatchedTo: labelOf(targets.find((u) => u.id === target.toUnitId)) });
    } catch (err) {
      const message = describeError(err, t);
      setError(id === null ? message : t('tag.savedNotDispatched', { id, message }));
    } finally {
      setBusy(false);
    }
  };

  const footer = (
    <>
      <span className="modal-error danger" role="alert" data-testid="dialog-error">
        {error ?? (setup.taxonomyError ? t('tag.taxonomyFailed', { message: describeError(setup.taxonomyError, t) }) : '')}
      </span>
      <button type="button" className="btn" onClick={createdId === null ? onClose : () => onDone({ dangerId: createdId, dispatchedTo: null })}>
        {t('common.cancel')}
      </button>
      <button type="button" className="btn primary" data-action="submit-danger" disabled={busy || !category0} onClick={() => void submit()}>
        {busy ? t('common.saving') : wantsDispatch ? t('tag.submitDispatch') : t('tag.submit')}
      </button>
    </>
  );

  return (
    <Modal title={t('tag.title')} onClose={onClose} footer={footer} wide testId="tag-dialog">
      <div className="tag-layout">
        <figure className="evidence">
          <img src={evidenceJpeg} alt={t('tag.evidence')} data-testid="tag-evidence" />
          <figcaption>
            <span className="muted">{t('tag.camera')}</span> <b data-field="camera" data-camera-id={camera.id}>{camera.name}</b>
            <span className="muted">{t('tag.capturedAt')}</span> <time data-field="captured-at" dateTime={capturedAt}>{time}</time>
          </figcaption>
        </figure>
        <div className="form-col">
          <label className="field">
            <span>{t('tag.category')}</span>
            <select data-field="category" value={category0} disabled={createdId !== null} onChange={(e) => setCategory(e.target.value)}>
              {taxonomy?.categories.map((c) => (
                <option key={c.key} value={c.key}>
                  {lang === 'en' ? c.nameEn : c.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset className="field severity" data-field="severity" disabled={createdId !== null}>
            <legend>{t('tag.severity')}</legend>
            {SEVERITIES.map((s) => (
              <label key={s} className={`sev-option sev-${s}`}>
                <input type="radio" name="severity" value={s} checked={severity === s} onChange={() => setSeverity(s)} />
                {setup.severityLabel(s)}
              </label>
            ))}
          </fieldset>
          <label className="field">
            <span>{t('tag.note')}</span>
            <textarea data-field="note" rows={3} maxLength={MAX_NOTE_LENGTH} placeholder={t('tag.notePlaceholder')} value={note} disabled={createdId !== null} onChange={(e) => setNote(e.target.value)} />
          </label>
          {canDispatch && (
            <label className="check">
              <input type="checkbox" data-field="dispatch-now" checked={dispatchNow} onChange={(e) => setDispatchNow(e.target.checked)} />
              {t('tag.dispatchNow')}
            </label>
          )}
          {wantsDispatch && <DispatchFields value={target} onChange={setTarget} severity={severity} camera={camera} />}
        </div>
      </div>
    </Modal>
  );
}
