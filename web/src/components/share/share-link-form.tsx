// 新建居民链接: unit, cameras (its public-area ones preselected), expiry, optional daily window and device limit,
// label. Our checks use the server's own limits (server/domain/share-policy.ts); whatever the server still refuses
// (400 with a field, 403, 404) is shown at that field in the server's words.
import { useEffect, useState, type FormEvent } from 'react';
import { MAX_DEVICES_LIMIT, MAX_LABEL_LENGTH } from '../../../../server/domain/share-policy';
import { ApiError, describeError } from '../../api/http';
import { shareLinksApi, type CreatedShareLink, type NewShareLink } from '../../api/share-links-api';
import { useI18n } from '../../hooks/use-i18n';
import type { OrgTree } from '../../hooks/use-org-tree';
import { useUnitCameras } from '../../hooks/use-unit-cameras';
import { toLocalInput } from '../../lib/dispatch-logic';
import {
  buildShareRequest, emptyForm, EXPIRY_PRESETS, placeServerError, REWIND_CHOICES, type ExpiryChoice,
  type FieldErrors, type FieldMessage, type FormField, type ShareForm,
} from '../../lib/share-links-logic';
import { CameraPicker } from './camera-picker';
import { FieldError } from './field-error';
import { UnitPicker } from './unit-picker';

interface Props {
  tree: OrgTree;
  pathOf: (unitId: number) => string | null;
  onCreated: (created: CreatedShareLink) => void;
}

const EXPIRY_CHOICES: ExpiryChoice[] = [...(Object.keys(EXPIRY_PRESETS) as ExpiryChoice[]), 'custom'];

export function ShareLinkForm({ tree, pathOf, onCreated }: Props) {
  const { t } = useI18n();
  const [form, setForm] = useState<ShareForm>(emptyForm);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [refusedId, setRefusedId] = useState<number | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const cameras = useUnitCameras(form.orgUnitId);

  // A freshly loaded unit starts with its public-area cameras ticked: the default.
  useEffect(() => {
    if (cameras.loading || cameras.unitId === null || cameras.error) return;
    const publicCameraIds = cameras.cameras.filter((c) => c.publicArea).map((c) => c.id);
    setForm((f) =>
      f.orgUnitId !== cameras.unitId
        ? f
        : { ...f, cameraIds: publicCameraIds, publicCameraIds, camerasComplete: cameras.total <= cameras.cameras.length },
    );
  }, [cameras]);

  const text = (m: FieldMessage | undefined) => (m === undefined ? undefined : 'text' in m ? m.text : t(m.key, m.params));
  const update = (patch: Partial<ShareForm>, ...clears: Array<FormField>) => {
    setForm((f) => ({ ...f, ...patch }));
    if (clears.length) {
      setErrors((e) => {
        const next = { ...e };
        for (const field of clears) delete next[field];
        delete next.form;
        return next;
      });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const built = buildShareRequest(form, new Date());
    setRefusedId(undefined);
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const created = await shareLinksApi.create(built.body);
      setForm(emptyForm());
      onCreated(created);
    } catch (err) {
      showServerError(err, built.body);
    } finally {
      setBusy(false);
    }
  };

  const showServerError = (err: unknown, sent: NewShareLink) => {
    const message = describeError(err, t);
    const place = err instanceof ApiError && err.status < 500 ? placeServerError(err.field, sent) : { field: 'form' as const };
    setErrors({ [place.field]: { text: message } });
    setRefusedId(place.cameraId);
  };

  return (
    <form className="share-form form-col" data-testid="share-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('shareLinks.newTitle')}</h3>
      <UnitPicker
        tree={tree}
        selectedId={form.orgUnitId}
        selectedPath={form.orgUnitId === null ? null : pathOf(form.orgUnitId)}
        onSelect={(orgUnitId) => {
          if (orgUnitId === form.orgUnitId) return;
          update({ orgUnitId, cameraIds: [], publicCameraIds: [], camerasComplete: true }, 'orgUnitId', 'cameraIds');
          setRefusedId(undefined);
        }}
        error={text(errors.orgUnitId)}
      />
      <CameraPicker
        list={cameras}
        selected={form.cameraIds}
        onChange={(cameraIds) => update({ cameraIds }, 'cameraIds')}
        error={text(errors.cameraIds)}
        refusedId={refusedId}
      />

      <fieldset className="field">
        <legend>{t('shareLinks.expiry')}</legend>
        <div className="share-choices">
          {EXPIRY_CHOICES.map((choice) => (
            <label key={choice} className="sev-option">
              <input
                type="radio"
                name="share-expiry"
                value={choice}
                data-field="expiry"
                checked={form.expiry === choice}
                onChange={() =>
                  update(
                    { expiry: choice, customExpiry: choice === 'custom' && !form.customExpiry ? toLocalInput(new Date(Date.now() + 3 * 86_400_000)) : form.customExpiry },
                    'expiresInHours',
                  )
                }
              />
              {t(`shareLinks.expiry.${choice}`)}
            </label>
          ))}
        </div>
        {form.expiry === 'custom' && (
          <input
            type="datetime-local"
            data-field="custom-expiry"
            aria-label={t('shareLinks.expiryCustomAt')}
            min={toLocalInput(new Date())}
            value={form.customExpiry}
            onChange={(e) => update({ customExpiry: e.target.value }, 'expiresInHours')}
          />
        )}
        <FieldError field="expiresInHours" message={text(errors.expiresInHours)} />
      </fieldset>

      <fieldset className="field">
        <legend>{t('shareLinks.window')}</legend>
        <div className="share-window">
          <input
            type="time"
            data-field="window-start"
            aria-label={t('shareLinks.windowStart')}
            value={form.windowStart}
            onChange={(e) => update({ windowStart: e.target.value }, 'dailyWindow')}
          />
          <span aria-hidden>–</span>
          <input
            type="time"
            data-field="window-end"
            aria-label={t('shareLinks.windowEnd')}
            value={form.windowEnd}
            onChange={(e) => update({ windowEnd: e.target.value }, 'dailyWindow')}
          />
          {(form.windowStart || form.windowEnd) && (
            <button type="button" className="link" onClick={() => update({ windowStart: '', windowEnd: '' }, 'dailyWindow')}>
              {t('shareLinks.windowClear')}
            </button>
          )}
        </div>
        <small className="muted">{t('shareLinks.windowHint')}</small>
        <FieldError field="dailyWindow" message={text(errors.dailyWindow)} />
      </fieldset>

      <label className="field">
        <span>{t('shareLinks.maxDevices')}</span>
        <input
          type="number"
          min={1}
          max={MAX_DEVICES_LIMIT}
          step={1}
          inputMode="numeric"
          data-field="max-devices"
          placeholder={t('shareLinks.maxDevicesNone')}
          value={form.maxDevices}
          onChange={(e) => update({ maxDevices: e.target.value }, 'maxDevices')}
        />
        <small className="muted">{t('shareLinks.maxDevicesHint')}</small>
        <FieldError field="maxDevices" message={text(errors.maxDevices)} />
      </label>

      <label className="field">
        <span>{t('shareLinks.rewind')}</span>
        <select data-field="rewind" value={form.rewindMinutes} onChange={(e) => update({ rewindMinutes: Number(e.target.value) }, 'rewindMinutes')}>
          {REWIND_CHOICES.map((m) => (
            <option key={m} value={m}>
              {m === 0 ? t('shareLinks.rewindOff') : t('shareLinks.rewindMinutes', { minutes: m })}
            </option>
          ))}
        </select>
        <small className="muted">{t('shareLinks.rewindHint')}</small>
        <FieldError field="rewindMinutes" message={text(errors.rewindMinutes)} />
      </label>

      <label className="field">
        <span>{t('shareLinks.label')}</span>
        <input
          type="text"
          data-field="label"
          maxLength={MAX_LABEL_LENGTH}
          placeholder={t('shareLinks.labelPlaceholder')}
          value={form.label}
          onChange={(e) => update({ label: e.target.value }, 'label')}
        />
        <FieldError field="label" message={text(errors.label)} />
      </label>

      <FieldError field="form" message={text(errors.form)} />
      <div className="share-form-actions">
        <button type="submit" className="btn primary" data-action="create-link" disabled={busy}>
          {busy ? t('shareLinks.creating') : t('shareLinks.create')}
        </button>
      </div>
    </form>
  );
}
