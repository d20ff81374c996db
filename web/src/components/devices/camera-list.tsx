// 摄像机: the catalogue in the user's area, filtered by network, status, org unit and text, one server page at a
// time; status with its reason and last-seen time, codec/resolution when known; online rates; CSV export.
import { useEffect, useMemo, useState } from 'react';
import { exportUrl } from '../../api/devices-api';
import { describeError } from '../../api/http';
import { useDevicesCameras } from '../../hooks/use-devices-cameras';
import { useI18n } from '../../hooks/use-i18n';
import { EMPTY_FILTERS, pageCount, pageRange, videoLabel, withFilter, type CameraFilters } from '../../lib/devices-logic';
import { NetworkSelect, useNetworkLabel } from './network-select';
import { OnlineRates } from './online-rates';
import { reasonText } from '../../lib/status-reason';
import { OrgUnitPicker } from '../common/org-unit-picker';
import { RecordingPlanDialog } from '../recording/plan-dialog';

/** Typing settles for this long before the search is sent (one request per pause, not per key). */
const SEARCH_PAUSE_MS = 300;

export function CameraList({ canEditRecording = false }: { canEditRecording?: boolean }) {
  const { t, lang } = useI18n();
  const networkLabel = useNetworkLabel();
  const [filters, setFilters] = useState<CameraFilters>(EMPTY_FILTERS);
  const [draftQ, setDraftQ] = useState('');
  const page = useDevicesCameras(filters);
  // The chosen unit chain below the scope root; none chosen is every camera in scope (no unit filter).
  const [units, setUnits] = useState<number[]>([]);
  /** The camera whose 录像计划 dialog is open. */
  const [planFor, setPlanFor] = useState<{ id: number; name: string } | null>(null);

  useEffect(() => {
    if (draftQ === filters.q) return;
    const timer = setTimeout(() => setFilters((f) => withFilter(f, { q: draftQ })), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [draftQ, filters.q]);

  const pages = pageCount(page.total);
  const range = pageRange(filters.page, page.total);
  const exportHref = useMemo(
    () => exportUrl({ network: filters.network || undefined, orgUnitId: filters.orgUnitId ?? undefined }),
    [filters.network, filters.orgUnitId],
  );
  const chooseUnits = (chain: number[]) => {
    setUnits(chain);
    const orgUnitId = chain.at(-1) ?? null;
    setFilters((f) => (f.orgUnitId === orgUnitId ? f : withFilter(f, { orgUnitId })));
  };

  return (
    <div className="devices-cameras">
      <form className="devices-filters" onSubmit={(e) => e.preventDefault()}>
        <NetworkSelect
          testId="devices-filter-network"
          value={filters.network}
          emptyLabel={t('devices.allNetworks')}
          onChange={(network) => setFilters((f) => withFilter(f, { network }))}
        />
        <select
          data-testid="devices-filter-status"
          value={filters.status}
          onChange={(e) => setFilters((f) => withFilter(f, { status: e.target.value as CameraFilters['status'] }))}
        >
          <option value="">{t('devices.allStatuses')}</option>
          <option value="online">{t('status.online')}</option>
          <option value="offline">{t('status.offline')}</option>
          <option value="unknown">{t('status.unknown')}</option>
        </select>
        <OrgUnitPicker testId="devices-filter-unit" value={units} onChange={chooseUnits} anyLabel={t('devices.unitAny')} version={page.version} />
        <input
          type="search"
          data-testid="devices-filter-q"
          placeholder={t('devices.searchPlaceholder')}
          value={draftQ}
          maxLength={100}
          onChange={(e) => setDraftQ(e.target.value)}
        />
        <a className="btn small" href={exportHref} download data-testid="devices-export">
          {t('devices.exportCsv')}
        </a>
      </form>
      {/* Rates do not depend on the filters (they cost ~0.3 s on a 100,000-camera county): re-read on reloads only. */}
      <OnlineRates version={page.version} />
      {page.error !== null && <p className="danger pane-message" role="alert">{describeError(page.error, t)}</p>}
      <div className="devices-table-box">
        <table className="devices-table" data-table="cameras" aria-busy={page.loading}>
          <thead>
            <tr>
              <th>{t('devices.colName')}</th>
              <th>{t('devices.colNetwork')}</th>
              <th>{t('devices.colOrg')}</th>
              <th>{t('devices.colStatus')}</th>
              <th>{t('devices.colVideo')}</th>
              <th>{t('devices.colPublic')}</th>
              <th>{t('devices.colRecording')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((c) => (
              <tr key={c.id} data-camera-id={c.id} data-status={c.status} data-network={c.network} data-unit-id={c.orgUnitId}>
                <td>
                  <span className="devices-cam-name">{c.name}</span>
                  <span className="muted small devices-ext">{c.externalId}</span>
                </td>
                <td>{networkLabel(c.network)}</td>
                <td className="devices-org" data-field="org-path">{orgPath(page.paths.get(c.orgUnitId), lang)}</td>
                <td>
                  <span className={`devices-status ${c.status}`}>
                    <span className="status-dot" aria-hidden />
                    {t(`status.${c.status}`)}
                  </span>
                  {c.statusReason && <span className="muted small devices-reason"> {reasonText(c.statusReason, t)}</span>}
                  {c.lastSeenAt && (
                    <span className="muted small devices-seen" title={c.lastSeenAt}>
                      {' '}
                      {t('devices.lastSeen', { time: new Date(c.lastSeenAt).toLocaleString() })}
                    </span>
                  )}
                </td>
                <td>
                  {videoLabel(c) ?? <span className="muted">—</span>}
                  {c.hasSubStream && <span className="muted small" data-field="sub-stream"> · {t('devices.subStream')}</span>}
                </td>
                <td data-field="public-area">{c.publicArea ? t('devices.yes') : t('devices.no')}</td>
                <td>
                  <button type="button" className="btn small" data-action="recording-plan" onClick={() => setPlanFor({ id: c.id, name: c.name })}>
                    {t('recplan.button')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {!page.loading && page.items.length === 0 && page.error === null && <p className="muted pane-message">{t('devices.noCameras')}</p>}
      </div>
      <footer className="devices-pager">
        <span className="muted" data-testid="devices-total" data-total={page.total}>
          {t('devices.range', { from: range.from, to: range.to, total: range.total })}
        </span>
        <button type="button" className="btn small" data-testid="devices-page-prev" disabled={filters.page === 0} onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}>
          {t('devices.prev')}
        </button>
        <span data-testid="devices-page">{t('devices.pageOf', { page: filters.page + 1, pages })}</span>
        <button
          type="button"
          className="btn small"
          data-testid="devices-page-next"
          disabled={filters.page + 1 >= pages}
          onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
        >
          {t('devices.next')}
        </button>
      </footer>
      {planFor && <RecordingPlanDialog cameraId={planFor.id} cameraName={planFor.name} canEdit={canEditRecording} onClose={() => setPlanFor(null)} />}
    </div>
  );
}

/** A row's unit as a name path in the UI language; "…" until the paths have arrived. */
function orgPath(p: { path: string; pathEn: string } | undefined, lang: string): string {
  return p ? (lang === 'en' ? p.pathEn : p.path) : '…';
}
