// 移动视频 (administrators): push (RTMP) devices — body cameras, drones, 4G cameras, phones. Adding one makes a camera
// of network `mobile` in the chosen unit and a stream key; the key and the URL to publish to are shown once (the
// server keeps a hash). 更换密钥 issues a new one and cuts the old publisher off; 吊销 cuts it off for good.
// The list re-reads every few seconds, so 推流中 follows a device that starts or stops publishing.
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, describeError } from '../../api/http';
import { pushDevicesApi, type IssuedPushKey, type PushDevice } from '../../api/push-devices-api';
import { useI18n } from '../../hooks/use-i18n';
import { useNow } from '../../hooks/use-now';
import { useOrgTree } from '../../hooks/use-org-tree';
import { copyText } from '../../lib/clipboard';
import { unitLabel } from '../../lib/org-logic';
import { formatPath } from '../../lib/share-links-logic';
import { Modal } from '../common/modal';
import { FieldError } from '../share/field-error';
import { UnitPicker } from '../share/unit-picker';
import { ancestorChain } from '../tree/tree-state';

const REFRESH_MS = 5_000;
/** The list borrows 居民链接's table and status chips: publishing reads as active, the rest as dimmed. */
const SHARE_STATUS_CLASS = { publishing: 'active', idle: 'expired', revoked: 'revoked' } as const;
const NAME_MAX = 100;

export function PushPanel() {
  const { t } = useI18n();
  const now = useNow(REFRESH_MS);
  const [devices, setDevices] = useState<PushDevice[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [issued, setIssued] = useState<{ key: IssuedPushKey; name: string } | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    pushDevicesApi.list(abort.signal).then(
      (list) => {
        setDevices(list);
        setListError(null);
      },
      (err: unknown) => !abort.signal.aborted && setListError(describeError(err, t)),
    );
    return () => abort.abort();
    // `t` is left out: a language switch needs no new list.
  }, [now, reload]);

  const onIssued = useCallback((key: IssuedPushKey, name: string) => {
    setIssued({ key, name });
    setReload((n) => n + 1);
  }, []);

  return (
    <div className="push-panel" data-testid="push-panel">
      <p className="muted">{t('push.intro')}</p>
      <div className="share-layout">
        <PushDeviceForm onCreated={onIssued} />
        <PushDeviceList devices={devices} error={listError} onIssued={onIssued} onChanged={() => setReload((n) => n + 1)} />
      </div>
      {issued && <IssuedKeyDialog issued={issued.key} name={issued.name} onClose={() => setIssued(null)} />}
    </div>
  );
}

function PushDeviceForm({ onCreated }: { onCreated: (key: IssuedPushKey, name: string) => void }) {
  const { t, lang } = useI18n();
  const tree = useOrgTree();
  const [name, setName] = useState('');
  const [orgUnitId, setOrgUnitId] = useState<number | null>(null);
  const [publicArea, setPublicArea] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<'name' | 'orgUnitId' | 'form', string>>>({});
  const [busy, setBusy] = useState(false);

  const pathOf = (unitId: number) => {
    const chain = ancestorChain(tree.tree, unitId);
    return chain.ids.length === 0 ? null : formatPath(chain.ids.reverse().map((id) => unitLabel(tree.tree.units.get(id)!, lang)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    const found: typeof errors = {};
    if (!trimmed) found.name = t('push.error.name');
    if (orgUnitId === null) found.orgUnitId = t('push.error.unit');
    setErrors(found);
    if (Object.keys(found).length > 0 || orgUnitId === null) return;
    setBusy(true);
    try {
      const key = await pushDevicesApi.create({ name: trimmed, orgUnitId, publicArea });
      setName('');
      setPublicArea(false);
      onCreated(key, trimmed);
    } catch (err) {
      // The server names the field it refuses (400) or the unit out of scope (404): show it there.
      const field = err instanceof ApiError && (err.field === 'name' || err.field === 'orgUnitId') ? err.field : 'form';
      setErrors({ [field]: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="share-side push-form form-col" data-testid="push-form" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('push.newTitle')}</h3>
      <label className="field">
        <span>{t('push.name')}</span>
        <input data-field="name" value={name} maxLength={NAME_MAX} placeholder={t('push.namePlaceholder')} onChange={(e) => setName(e.target.value)} />
        <FieldError field="name" message={errors.name} />
      </label>
      <UnitPicker
        tree={tree}
        selectedId={orgUnitId}
        selectedPath={orgUnitId === null ? null : pathOf(orgUnitId)}
        onSelect={setOrgUnitId}
        error={errors.orgUnitId}
        label={t('push.unit')}
        hint={t('push.unitHint')}
      />
      <label className="check">
        <input type="checkbox" data-field="public-area" checked={publicArea} onChange={(e) => setPublicArea(e.target.checked)} />
        {t('push.publicArea')}
      </label>
      <FieldError field="form" message={errors.form} />
      <button type="submit" className="btn primary" disabled={busy} data-action="create-push-device">
        {t('push.create')}
      </button>
    </form>
  );
}

interface ListProps {
  devices: PushDevice[] | null;
  error: string | null;
  onIssued: (key: IssuedPushKey, name: string) => void;
  onChanged: () => void;
}

function PushDeviceList({ devices, error, onIssued, onChanged }: ListProps) {
  const { t, lang } = useI18n();
  const [confirming, setConfirming] = useState<{ id: number; action: 'rotate' | 'revoke' } | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [rowError, setRowError] = useState<{ id: number; message: string } | null>(null);
  const when = (iso: string) => new Date(iso).toLocaleString(lang, { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });

  const act = async (device: PushDevice, action: 'rotate' | 'revoke') => {
    setBusy(device.cameraId);
    setRowError(null);
    try {
      if (action === 'rotate') onIssued(await pushDevicesApi.rotate(device.cameraId), device.name);
      else await pushDevicesApi.revoke(device.cameraId);
      setConfirming(null);
      onChanged();
    } catch (err) {
      setRowError({ id: device.cameraId, message: describeError(err, t) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="share-list-box">
      <h3>{t('push.listTitle')}</h3>
      {error && (
        <p className="danger pane-message" role="alert">
          {error}
        </p>
      )}
      <div data-testid="push-list" data-state={devices === null ? (error ? 'error' : 'loading') : 'ready'} data-count={devices?.length ?? 0}>
        {devices === null ? (
          !error && <p className="muted pane-message">{t('common.loading')}</p>
        ) : devices.length === 0 ? (
          <p className="muted pane-message">{t('push.none')}</p>
        ) : (
          <table className="share-table push-table">
            <thead>
              <tr>
                <th>{t('push.col.name')}</th>
                <th>{t('push.col.unit')}</th>
                <th>{t('push.col.keyIssued')}</th>
                <th>{t('push.col.status')}</th>
                <th aria-label={t('push.col.actions')} />
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => {
                const status = d.revokedAt ? 'revoked' : d.publishing ? 'publishing' : 'idle';
                return (
                  <tr key={d.cameraId} data-camera-id={d.cameraId} data-status={status}>
                    <td title={d.name}>{d.name}</td>
                    <td>{d.orgUnitName}</td>
                    <td>{when(d.keyIssuedAt)}</td>
                    <td>
                      <span className={`share-status push-status ${SHARE_STATUS_CLASS[status]}`}>{t(`push.status.${status}`)}</span>
                      {d.revokedAt && <small className="muted share-path">{when(d.revokedAt)}</small>}
                    </td>
                    <td className="share-actions">
                      {confirming?.id === d.cameraId ? (
                        <span className="share-confirm">
                          <button type="button" className="btn small warn" data-action={`confirm-${confirming.action}`} disabled={busy === d.cameraId} onClick={() => void act(d, confirming.action)}>
                            {t(`push.confirm.${confirming.action}`)}
                          </button>
                          <button type="button" className="btn small" onClick={() => setConfirming(null)}>
                            {t('common.cancel')}
                          </button>
                        </span>
                      ) : (
                        <>
                          <button type="button" className="btn small" data-action="rotate" onClick={() => setConfirming({ id: d.cameraId, action: 'rotate' })}>
                            {t(d.revokedAt ? 'push.reissue' : 'push.rotate')}
                          </button>
                          {!d.revokedAt && (
                            <button type="button" className="btn small warn" data-action="revoke" onClick={() => setConfirming({ id: d.cameraId, action: 'revoke' })}>
                              {t('push.revoke')}
                            </button>
                          )}
                        </>
                      )}
                      {rowError?.id === d.cameraId && (
                        <small className="danger" role="alert">
                          {rowError.message}
                        </small>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}

function IssuedKeyDialog({ issued, name, onClose }: { issued: IssuedPushKey; name: string; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  return (
    <Modal
      title={t('push.issuedTitle')}
      onClose={onClose}
      testId="push-key-once"
      wide
      footer={
        <button type="button" className="btn primary small" onClick={onClose} data-action="push-key-done">
          {t('push.done')}
        </button>
      }
    >
      <p>{t('push.issuedFor', { name })}</p>
      <div className="share-url-row">
        <input ref={input} readOnly data-testid="push-rtmp-url" aria-label={t('push.rtmpUrl')} value={issued.rtmpUrl} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" className="btn small" onClick={() => void copyText(issued.rtmpUrl, input.current).then((ok) => setCopied(ok ? 'yes' : 'no'))}>
          {copied === 'yes' ? t('push.copied') : t('push.copy')}
        </button>
      </div>
      {copied === 'no' && <p className="muted small">{t('push.copyFailed')}</p>}
      <p className="muted small">{t('push.howTo')}</p>
      <p className="warn small" role="note">
        {t('push.once')}
      </p>
    </Modal>
  );
}
