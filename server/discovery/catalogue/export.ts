// Export in the import format: re-importing an export changes nothing. Passwords never leave: a camera whose
// credentials came from a credential profile says which one; other credentials are simply not exported.
import type { CatalogueRow } from '../../contracts/catalogue';
import { toCsv } from '../../csv/write';
import type { CatalogueCamera } from './plan';

export const EXPORT_COLUMNS: Array<keyof CatalogueRow> = [
  'externalId', 'name', 'network', 'orgUnitCode', 'orgUnitPath', 'lat', 'lng', 'address', 'rtspUrl', 'subStreamUrl',
  'onvifUrl', 'credentialRef', 'publicArea', 'ptz',
];

export interface ExportCamera extends CatalogueCamera {
  orgUnitId: number;
}

export function toCatalogueRow(c: ExportCamera, unit: { code: string; namePath: string }): CatalogueRow {
  return {
    externalId: c.externalId,
    name: c.name,
    network: c.network,
    orgUnitCode: unit.code,
    orgUnitPath: unit.namePath,
    lat: c.lat,
    lng: c.lng,
    address: c.address,
    rtspUrl: c.sourceKind === 'rtsp' ? c.streamUrl ?? c.endpoint : c.streamUrl ?? '',
    subStreamUrl: c.subStreamUrl ?? '',
    onvifUrl: c.sourceKind === 'onvif' ? c.endpoint : '',
    credentialRef: c.credentialRef ?? '',
    publicArea: c.publicArea,
    ptz: c.ptz,
  };
}

/** The export as a CSV file (BOM included); cells that start like a formula are guarded, and the import undoes it. */
export function catalogueCsv(rows: CatalogueRow[]): string {
  return toCsv(EXPORT_COLUMNS, rows.map((r) => EXPORT_COLUMNS.map((k) => r[k])));
}
