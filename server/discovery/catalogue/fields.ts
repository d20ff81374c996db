// The catalogue's logical fields and the column names each one answers to. Network platforms export their
// lists with their own (often Chinese) headers; the aliases cover the common ones and a request's `mapping`
// covers the rest. Documented in IMPORT.md next to this file — keep the two in step.
import type { CatalogueField } from '../../contracts/catalogue';

export const FIELD_ALIASES: Record<CatalogueField, string[]> = {
  externalId: ['externalId', 'external_id', 'id', 'deviceCode', 'deviceId', 'cameraId', '设备编码', '设备编号', '国标编码', '编号'],
  name: ['name', 'cameraName', 'deviceName', '名称', '设备名称', '点位名称', '摄像机名称'],
  network: ['network', 'platform', '网络', '所属网络', '所属平台'],
  orgUnitCode: ['orgUnitCode', 'org_unit_code', 'orgCode', '组织编码', '单位编码', '区划编码'],
  orgUnitPath: ['orgUnitPath', 'org_unit_path', 'orgUnit', 'orgPath', '组织', '组织路径', '所属单位', '所属组织', '所属区域'],
  lat: ['lat', 'latitude', '纬度'],
  lng: ['lng', 'lon', 'long', 'longitude', '经度'],
  address: ['address', 'location', '地址', '安装地址', '安装位置', '点位地址'],
  rtspUrl: ['rtspUrl', 'rtsp_url', 'rtsp', 'streamUrl', '取流地址', '视频流地址', 'RTSP地址'],
  subStreamUrl: ['subStreamUrl', 'sub_stream_url', 'substream', 'subStream', 'subRtspUrl', '子码流', '子码流地址', '辅码流', '辅码流地址'],
  onvifUrl: ['onvifUrl', 'onvif_url', 'onvif', 'onvifEndpoint', 'deviceService', 'ONVIF地址', '设备服务地址'],
  credentialRef: ['credentialRef', 'credential_ref', 'credentials', 'credentialProfile', '凭据', '凭据名称'],
  username: ['username', 'user', 'login', '用户名', '账号'],
  password: ['password', 'pass', '密码'],
  publicArea: ['publicArea', 'public_area', 'public', '公共区域', '是否公共区域'],
  ptz: ['ptz', '云台', '是否云台'],
  coordSystem: ['coordSystem', 'coord_system', 'crs', 'datum', 'srs', '坐标系', '坐标系统', '坐标类型'],
};

export const FIELDS = Object.keys(FIELD_ALIASES) as CatalogueField[];

/** Headers compare without case, spaces, underscores or hyphens: "External ID" = "external_id" = "externalId". */
export function normalizeHeader(header: string): string {
  return header.replace(/[\s_\-（）()]/g, '').toLowerCase();
}

const BY_ALIAS = new Map<string, CatalogueField>();
for (const field of FIELDS) for (const alias of FIELD_ALIASES[field]) BY_ALIAS.set(normalizeHeader(alias), field);

export interface ColumnMap {
  /** Column index → field, for the columns that map to one. */
  byIndex: Array<CatalogueField | null>;
  /** Header → field, as reported back to the client. */
  columns: Record<string, CatalogueField>;
  ignored: string[];
  present: Set<CatalogueField>;
}

export class MappingError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
  }
}

/**
 * Decides which column feeds which field: the request's mapping first (exact header text), then the aliases.
 * Two columns for one field is an error, as is a file without externalId or network.
 */
export function mapColumns(headers: string[], mapping: Record<string, CatalogueField | null> = {}): ColumnMap {
  for (const key of Object.keys(mapping)) {
    if (!headers.includes(key)) throw new MappingError(`mapping names a column "${key}" that the file does not have`, `mapping.${key}`);
  }
  const byIndex: Array<CatalogueField | null> = [];
  const columns: Record<string, CatalogueField> = {};
  const ignored: string[] = [];
  const present = new Set<CatalogueField>();
  headers.forEach((header, i) => {
    const field = header in mapping ? mapping[header] : BY_ALIAS.get(normalizeHeader(header)) ?? null;
    if (field && present.has(field)) {
      throw new MappingError(`two columns map to ${field}: "${Object.keys(columns).find((h) => columns[h] === field)}" and "${header}"`, `mapping.${header}`);
    }
    byIndex.push(field ?? null);
    if (field) {
      columns[header] = field;
      present.add(field);
    } else ignored.push(header);
  });
  for (const required of ['externalId', 'network'] as const) {
    if (!present.has(required)) {
      throw new MappingError(`no column for ${required} (accepted names: ${FIELD_ALIASES[required].join(', ')}; or map one in "mapping")`, required);
    }
  }
  if (!present.has('orgUnitCode') && !present.has('orgUnitPath') && !present.has('name') && !present.has('rtspUrl') && !present.has('subStreamUrl') && !present.has('onvifUrl')) {
    throw new MappingError('the file has nothing to import besides externalId and network', 'mapping');
  }
  return { byIndex, columns, ignored, present };
}

/** true/false in the spellings catalogues use; undefined when it is none of them. */
export function parseBool(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (v === '') return false;
  if (['1', 'true', 'yes', 'y', 't', '是', '有', '√'].includes(v)) return true;
  if (['0', 'false', 'no', 'n', 'f', '否', '无', '×'].includes(v)) return false;
  return undefined;
}
