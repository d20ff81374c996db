// Endpoints of the devices view: camera list and org paths, online rates, catalogue import/export, discovery jobs,
// RTSP probe and add. Types come from the server contracts with `import type` only.
import type { CameraPage, CameraQuery, OrgUnitPath } from '../../../server/contracts/api';
import type {
  CatalogueField, CredentialProfile, DiscoveryAddBody, DiscoveryAddResult, DiscoveryJob, DiscoveryJobBody, DiscoveryJobDetail, ImportBody, ImportResult,
  OnlineRates, RtspCameraBody, RtspCameraResult, RtspProbeBody, RtspProbeResult,
} from '../../../server/contracts/catalogue';
import { buildUrl, request } from './http';

export type { OrgUnitPath } from '../../../server/contracts/api';
export type {
  CatalogueField, CredentialProfile, DiscoveryAddBody, DiscoveryAddResult, DiscoveryJob, DiscoveryJobBody, DiscoveryJobDetail, DiscoveryResult, ImportBody,
  ImportResult, ImportSummary, OnlineRate, OnlineRates, RowError, RtspCameraBody, RtspCameraResult, RtspProbeBody, RtspProbeResult,
} from '../../../server/contracts/catalogue';

export interface FormatField {
  field: CatalogueField;
  aliases: string[];
}

export const devicesApi = {
  cameras: (query: CameraQuery, signal?: AbortSignal) => request<CameraPage>('GET', '/api/cameras', { query: { ...query }, signal }),
  orgPaths: (ids: readonly number[], signal?: AbortSignal) =>
    request<OrgUnitPath[]>('GET', '/api/org/units/paths', { query: { ids: ids.join(',') }, signal }),
  rates: (orgUnitId?: number, signal?: AbortSignal) => request<OnlineRates>('GET', '/api/health-checks/rates', { query: { orgUnitId }, signal }),
  format: (signal?: AbortSignal) => request<FormatField[]>('GET', '/api/catalogue/format', { signal }),
  importCatalogue: (body: ImportBody) => request<ImportResult>('POST', '/api/catalogue/import', { body }),
  /** County roles only (403 for a township officer, who may still name a profile it knows). */
  profiles: (signal?: AbortSignal) => request<CredentialProfile[]>('GET', '/api/catalogue/credentials', { signal }),
  startJob: (body: DiscoveryJobBody) => request<DiscoveryJob>('POST', '/api/discovery/jobs', { body }),
  jobs: (signal?: AbortSignal) => request<DiscoveryJob[]>('GET', '/api/discovery/jobs', { signal }),
  job: (id: number, signal?: AbortSignal) => request<DiscoveryJobDetail>('GET', `/api/discovery/jobs/${id}`, { signal }),
  cancelJob: (id: number) => request<DiscoveryJob>('POST', `/api/discovery/jobs/${id}/cancel`),
  addResults: (id: number, body: DiscoveryAddBody) => request<DiscoveryAddResult>('POST', `/api/discovery/jobs/${id}/add`, { body }),
  probe: (body: RtspProbeBody) => request<RtspProbeResult>('POST', '/api/discovery/rtsp/probe', { body }),
  addRtsp: (body: RtspCameraBody) => request<RtspCameraResult>('POST', '/api/discovery/rtsp/cameras', { body }),
};

/** The catalogue export (a download link, so the browser streams it to a file). */
export const exportUrl = (query: { network?: string; orgUnitId?: number; format?: 'csv' | 'json' }): string =>
  buildUrl('/api/catalogue/export', { ...query });
