// Reading one catalogue row: raw cells (CSV strings, or JSON values) → a checked, normalised row, or the list
// of what is wrong with it, each naming the field. Pure: no database, so the dry run and the import agree.
import type { CatalogueField, RowError } from '../../contracts/catalogue';
import { type ColumnMap, parseBool } from './fields';
import { undoFormulaGuard } from '../../csv/write';
import { type CoordSystem, COORD_SYSTEMS, convert, parseCoordSystem } from '../../domain/coords';

export interface NetworkRef {
  key: string;
  name: string;
  nameEn: string;
}

export interface SourceRow {
  row: number;
  line?: number;
  cells: Partial<Record<CatalogueField, string>>;
  /** Set when the row is not even a record (a JSON array item that is not an object). */
  invalid?: string;
}

/** A row that passed its own checks. Absent keys mean "column not in the file": leave the camera's value. */
export interface CleanRow {
  row: number;
  line?: number;
  externalId: string;
  network: string;
  name?: string;
  orgUnitCode?: string;
  /** Unit names from the root down, e.g. ['安澜县', '东城街道', '东风社区']. */
  orgUnitPath?: string[];
  lat?: number | null;
  lng?: number | null;
  address?: string;
  rtspUrl?: string | null;
  /** The sub-stream (子码流); null clears it. Never with credentials: it uses the main stream's. */
  subStreamUrl?: string | null;
  onvifUrl?: string | null;
  credentialRef?: string | null;
  /** From username/password columns or from user:pass@ in a URL (which is then stripped). */
  credentials?: { username: string; password: string };
  publicArea?: boolean;
  ptz?: boolean;
}

const MAX = { externalId: 64, name: 100, address: 200, url: 500, credentialRef: 64, username: 128, password: 256 };
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** CSV rows: cells by column index through the column map. */
export function sourceFromCsv(values: string[], map: ColumnMap, row: number, line: number): SourceRow {
  const cells: Partial<Record<CatalogueField, string>> = {};
  for (let i = 0; i < map.byIndex.length; i++) {
    const field = map.byIndex[i];
    // Our own export guards formula-like cells with an apostrophe (server/csv/write.ts): read them back as written.
    if (field) cells[field] = undoFormulaGuard(values[i] ?? '');
  }
  return { row, line, cells };
}

/** JSON rows: objects whose keys are headers; numbers and booleans are written back as text. */
export function sourceFromJson(object: Record<string, unknown>, map: ColumnMap, headers: string[], row: number): SourceRow {
  const cells: Partial<Record<CatalogueField, string>> = {};
  for (let i = 0; i < headers.length; i++) {
    const field = map.byIndex[i];
    if (!field) continue;
    const v = object[headers[i]];
    cells[field] = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return { row, cells };
}

export function networkResolver(networks: NetworkRef[]): (raw: string) => string | undefined {
  const by = new Map<string, string>();
  for (const n of networks) for (const label of [n.key, n.name, n.nameEn]) by.set(label.trim().toLowerCase(), n.key);
  return (raw) => by.get(raw.trim().toLowerCase());
}

function parseUrl(raw: string, schemes: string[]): { url: string; credentials?: { username: string; password: string } } | string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (!schemes.includes(u.protocol)) return `must start with ${schemes.map((s) => `${s}//`).join(' or ')}`;
  if (!u.hostname) return 'has no host';
  const credentials = u.username ? { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  return { url: u.toString(), credentials };
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;

function parseCoordinate(raw: string, min: number, max: number): number | null | string {
  const v = raw.trim();
  if (v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) return 'is not a number';
  if (n < min || n > max) return `must be between ${min} and ${max}`;
  return n;
}

/**
 * Checks one row. `resolveNetwork` maps 天网 / Skynet / skynet to the configured key. Coordinates are stored in
 * WGS-84: a row's coordSystem column (or `defaultSystem`, the request's) says what lat/lng are in, and they are
 * converted (server/domain/coords.ts) and rounded to 1e-7° (~1 cm) so a re-import of the same file is unchanged.
 */
export function cleanRow(
  src: SourceRow, resolveNetwork: (raw: string) => string | undefined, defaultSystem: CoordSystem = 'wgs84',
): { row?: CleanRow; errors: RowError[] } {
  const errors: RowError[] = [];
  const fail = (field: string, message: string) => errors.push({ row: src.row, ...(src.line ? { line: src.line } : {}), field, message });
  const c = src.cells;
  const text = (field: CatalogueField, max: number): string | undefined => {
    const raw = c[field];
    if (raw === undefined) return undefined;
    const v = raw.trim();
    if (v.length > max) fail(field, `is longer than ${max} characters`);
    else if (CONTROL.test(v)) fail(field, 'contains control characters');
    return v;
  };

  const externalId = text('externalId', MAX.externalId) ?? '';
  if (externalId === '') fail('externalId', 'is required');
  const networkRaw = (c.network ?? '').trim();
  const network = networkRaw ? resolveNetwork(networkRaw) : undefined;
  if (!networkRaw) fail('network', 'is required');
  else if (!network) fail('network', `"${networkRaw}" is not a configured network`);

  const out: CleanRow = { row: src.row, line: src.line, externalId, network: network ?? '' };
  const name = text('name', MAX.name);
  if (name !== undefined) {
    if (name === '') fail('name', 'is empty');
    out.name = name;
  }
  const code = text('orgUnitCode', 64);
  if (code) out.orgUnitCode = code;
  const path = text('orgUnitPath', 500);
  if (path) {
    const parts = path.split(/[/／]/).map((p) => p.trim()).filter(Boolean);
    if (parts.some((p) => p.length > 50)) fail('orgUnitPath', 'has a unit name longer than 50 characters');
    else out.orgUnitPath = parts;
  }
  if (c.lat !== undefined) {
    const lat = parseCoordinate(c.lat, -90, 90);
    if (typeof lat === 'string') fail('lat', lat);
    else out.lat = lat;
  }
  if (c.lng !== undefined) {
    const lng = parseCoordinate(c.lng, -180, 180);
    if (typeof lng === 'string') fail('lng', lng);
    else out.lng = lng;
  }
  if ((out.lat === null) !== (out.lng === null) && out.lat !== undefined && out.lng !== undefined) {
    fail(out.lat === null ? 'lat' : 'lng', 'is required when the other coordinate is given');
  }
  let system = defaultSystem;
  if (c.coordSystem !== undefined && c.coordSystem.trim() !== '') {
    const parsed = parseCoordSystem(c.coordSystem);
    if (!parsed) fail('coordSystem', `"${c.coordSystem.trim().slice(0, 20)}" is not a coordinate system (${COORD_SYSTEMS.join(', ')})`);
    else system = parsed;
  }
  if (system !== 'wgs84' && typeof out.lat === 'number' && typeof out.lng === 'number') {
    const wgs = convert({ lat: out.lat, lng: out.lng }, system, 'wgs84');
    out.lat = round7(wgs.lat);
    out.lng = round7(wgs.lng);
  }
  const address = text('address', MAX.address);
  if (address !== undefined) out.address = address;

  let urlCredentials: { username: string; password: string } | undefined;
  for (const [field, schemes] of [['rtspUrl', ['rtsp:', 'rtsps:']], ['onvifUrl', ['http:', 'https:']]] as const) {
    const raw = text(field, MAX.url);
    if (raw === undefined) continue;
    if (raw === '') {
      out[field] = null;
      continue;
    }
    const parsed = parseUrl(raw, [...schemes]);
    if (typeof parsed === 'string') fail(field, parsed);
    else {
      out[field] = parsed.url;
      urlCredentials ??= parsed.credentials;
    }
  }

  // The sub-stream is checked like the main RTSP URL, but credentials in it are refused rather than taken: the
  // camera has one set (the main stream's), and two sources for it would only disagree.
  const sub = text('subStreamUrl', MAX.url);
  if (sub === '') out.subStreamUrl = null;
  else if (sub !== undefined) {
    const parsed = parseUrl(sub, ['rtsp:', 'rtsps:']);
    if (typeof parsed === 'string') fail('subStreamUrl', parsed);
    else if (parsed.credentials) fail('subStreamUrl', 'must not contain user:password@ (the sub-stream uses the camera\'s credentials)');
    else out.subStreamUrl = parsed.url;
  }

  const ref = text('credentialRef', MAX.credentialRef);
  if (ref !== undefined) out.credentialRef = ref === '' ? null : ref;
  const username = text('username', MAX.username);
  const password = c.password === undefined ? undefined : c.password; // passwords keep their spaces
  if (password !== undefined && password.length > MAX.password) fail('password', `is longer than ${MAX.password} characters`);
  if (username && password === undefined) fail('password', 'is required with username');
  else if (username && password !== undefined) out.credentials = { username, password };
  else if (!username && password) fail('username', 'is required with password');
  else if (urlCredentials) out.credentials = urlCredentials;
  if (out.credentials && out.credentialRef) fail('credentialRef', 'give either credentialRef or username/password, not both');

  for (const field of ['publicArea', 'ptz'] as const) {
    const raw = c[field];
    if (raw === undefined) continue;
    const v = parseBool(raw);
    if (v === undefined) fail(field, `"${raw.trim().slice(0, 20)}" is not true/false (1/0, yes/no, 是/否)`);
    else out[field] = v;
  }
  return errors.length ? { errors } : { row: out, errors };
}
