// Review of a discovery job's devices: what answered (make, model, serial, stream), why the others failed, which
// are already in the catalogue; select, rename, choose network and org unit, add.
import { useState } from 'react';
import type { DiscoveryAddBody, DiscoveryAddResult, DiscoveryResult } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { useI18n } from '../../hooks/use-i18n';
import { useScopeRoot } from '../../hooks/use-org-units';
import { addItems, canAdd, subProfile, videoLabel } from '../../lib/devices-logic';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { NetworkSelect } from './network-select';

interface Props {
  results: DiscoveryResult[];
  onAdd: (body: DiscoveryAddBody) => Promise<DiscoveryAddResult>;
}

/** "H264 · 640×360" of the sub-stream's profile, or '' when the device's profiles do not say. */
function subVideo(profiles: DiscoveryResult['profiles']): string {
  const p = subProfile(profiles);
  return p ? videoLabel({ codec: p.encoding, width: p.width, height: p.height }) ?? '' : '';
}

export function DiscoveryResults({ results, onAdd }: Props) {
  const { t } = useI18n();
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [names, setNames] = useState<ReadonlyMap<number, string>>(new Map());
  const [network, setNetwork] = useState('');
  const root = useScopeRoot();
  // Nothing chosen below the root adds the devices to the root itself (本级).
  const [units, setUnits] = useState<number[]>([]);
  const orgUnitId = units.at(-1) ?? root?.id ?? null;
  const [publicArea, setPublicArea] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  const addable = results.filter(canAdd);
  const body = addItems(results, selected, names, { network, orgUnitId, publicArea });
  const toggle = (id: number, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const add = async () => {
    if (!body) return;
    setBusy(true);
    try {
      const answer = await onAdd(body);
      setMessage({ ok: true, text: t('devices.discAdded', { added: answer.added.length, updated: answer.updated.length }) });
      setSelected(new Set());
    } catch (err) {
      setMessage({ ok: false, text: describeError(err, t) });
    }
    setBusy(false);
  };

  if (results.length === 0) return <p className="muted pane-message">{t('devices.discNoResults')}</p>;
  return (
    <>
      <div className="devices-table-box">
        <table className="devices-table" data-table="discovery">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label={t('devices.selectAll')}
                  data-testid="disc-select-all"
                  checked={addable.length > 0 && addable.every((r) => selected.has(r.id))}
                  onChange={(e) => setSelected(new Set(e.target.checked ? addable.map((r) => r.id) : []))}
                />
              </th>
              <th>{t('devices.colAddress')}</th>
              <th>{t('devices.colDevice')}</th>
              <th>{t('devices.colVideo')}</th>
              <th>{t('devices.colName')}</th>
              <th>{t('devices.colResult')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const profile = r.profiles[0];
              return (
                <tr key={r.id} data-result-id={r.id} data-state={r.state} data-address={r.address} data-camera-id={r.cameraId ?? undefined}>
                  <td>
                    <input type="checkbox" data-field="select" disabled={!canAdd(r)} checked={selected.has(r.id)} onChange={(e) => toggle(r.id, e.target.checked)} />
                  </td>
                  <td>{r.address}</td>
                  <td>
                    {[r.manufacturer, r.model].filter(Boolean).join(' ') || <span className="muted">—</span>}
                    {r.serial && <span className="muted small devices-ext">{r.serial}</span>}
                  </td>
                  <td>
                    {profile ? videoLabel({ codec: profile.encoding, width: profile.width, height: profile.height }) : '—'}
                    {profile?.audio && <span className="muted small"> · {profile.audio}</span>}
                    {r.subStreamUri && (
                      <span className="muted small" data-field="sub-stream">
                        {' · '}
                        {t('devices.subStreamOf', { video: subVideo(r.profiles) })}
                      </span>
                    )}
                    {r.ptz && <span className="muted small"> · PTZ</span>}
                  </td>
                  <td>
                    {canAdd(r) ? (
                      <input
                        data-field="name"
                        value={names.get(r.id) ?? r.suggestedName}
                        maxLength={100}
                        onChange={(e) => setNames((m) => new Map(m).set(r.id, e.target.value))}
                      />
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                  <td data-field="result">
                    {r.state === 'failed' ? (
                      <span className="danger" title={r.message ?? undefined}>
                        {t(`devices.failure.${r.failure ?? 'unknown'}`)}
                        {r.message && <span className="muted small"> {r.message}</span>}
                      </span>
                    ) : r.state === 'added' ? (
                      <span className="ok">{t('devices.discStateAdded', { id: r.cameraId ?? '?' })}</span>
                    ) : r.cameraId !== null ? (
                      <span className="warn" data-present="true">{t('devices.discPresent', { id: r.cameraId })}</span>
                    ) : (
                      <span>{t('devices.discStateFound')}</span>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="devices-review" data-testid="disc-review">
        <span className="muted">{t('devices.discSelected', { count: selected.size })}</span>
        <NetworkSelect testId="disc-network" value={network} emptyLabel={t('devices.chooseNetwork')} onChange={setNetwork} />
        <OrgUnitPicker testId="disc-unit" value={units} onChange={setUnits} anyLabel={t('devices.unitHere')} />
        <label>
          <input type="checkbox" data-testid="disc-public" checked={publicArea} onChange={(e) => setPublicArea(e.target.checked)} />
          {t('devices.colPublic')}
        </label>
        <button type="button" className="btn small primary" data-testid="disc-add" disabled={!body || busy} onClick={() => void add()}>
          {t('devices.discAdd')}
        </button>
        {message && (
          <span className={message.ok ? 'ok' : 'danger'} data-testid="disc-add-message" role="status">
            {message.text}
          </span>
        )}
      </div>
    </>
  );
}
