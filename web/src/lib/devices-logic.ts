// Pure logic of the devices view (设备管理): camera-list filters → API query, paging, codec labels, import
// options and summary, discovery targets and progress, review → add items, RTSP URL credentials. No DOM, no React.
import type { CameraQuery, CameraStatus } from '../../../server/contracts/api';
import type { DiscoveryAddBody, DiscoveryJob, DiscoveryResult, ImportBody, ImportResult, ImportSummary } from '../../../server/contracts/catalogue';

export const PAGE_SIZE = 50;

export interface CameraFilters {
  network: string;
  status: '' | CameraStatus;
  /** null: the user's whole area. */
  orgUnitId: number | null;
  q: string;
  page: number;
}

export const EMPTY_FILTERS: CameraFilters = { network: '', status: '', orgUnitId: null, q: '', page: 0 };

/** The server pages (a county may hold 100,000 cameras): one page of the filtered list per request. */
export function filtersToQuery(f: CameraFilters, pageSize = PAGE_SIZE): CameraQuery {
  const query: CameraQuery = { limit: pageSize, offset: Math.max(0, f.page) * pageSize };
  if (f.network) query.network = f.network;
  if (f.status) query.status = f.status;
  if (f.orgUnitId !== null) query.orgUnitId = f.orgUnitId;
  const q = f.q.trim().slice(0, 100);
  if (q) query.q = q;
  return query;
}

/** A filter other than the page changed: back to the first page. */
export function withFilter(f: CameraFilters, change: Partial<Omit<CameraFilters, 'page'>>): CameraFilters {
  return { ...f, ...change, page: 0 };
}

export function pageCount(total: number, pageSize = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** "1–50 / 188" for the footer; "0 / 0" when nothing matched. */
export function pageRange(page: number, total: number, pageSize = PAGE_SIZE): { from: number; to: number; total: number } {
  if (total === 0) return { from: 0, to: 0, total };
  const from = page * pageSize + 1;
  return { from: Math.min(from, total), to: Math.min(total, from + pageSize - 1), total };
}

const CODEC_NAMES: Record<string, string> = { h264: 'H.264', h265: 'H.265', hevc: 'H.265', mjpeg: 'MJPEG', mpeg4: 'MPEG-4' };

export function codecLabel(codec: string | null | undefined): string | null {
  if (!codec) return null;
  return CODEC_NAMES[codec.toLowerCase()] ?? codec.toUpperCase();
}

/** "H.264 · 1280×720", "H.265", "1280×720" or null when nothing is known. */
export function videoLabel(v: { codec?: string | null; width?: number | null; height?: number | null }): string | null {
  const parts = [codecLabel(v.codec), v.width && v.height ? `${v.width}×${v.height}` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : null;
}

/** The profile discovery took as the sub-stream (子码流): the first later one with fewer pixels than the first
 * (server/discovery/onvif/interrogate.ts subProfileOf); only shown when the result has a sub-stream URI. */
export function subProfile<P extends { width: number | null; height: number | null }>(profiles: readonly P[]): P | undefined {
  const main = profiles[0];
  if (!main?.width || !main.height) return undefined;
  return profiles.slice(1).find((p) => p.width && p.height && p.width * p.height < main.width! * main.height!);
}

/** Ids whose path is not cached yet, distinct, in chunks the paths endpoint accepts (≤ 200 per request). */
export function missingIds(ids: readonly number[], known: ReadonlyMap<number, unknown>, chunk = 200): number[][] {
  const missing = [...new Set(ids)].filter((id) => !known.has(id));
  const out: number[][] = [];
  for (let i = 0; i < missing.length; i += chunk) out.push(missing.slice(i, i + chunk));
  return out;
}

// ── Import ──────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The file's text. The API takes UTF-8, but Excel in China saves CSV as GBK by default: bytes that are not valid
 * UTF-8 are read as GB18030 (a superset of GBK) instead, and the caller says so.
 */
export function decodeFileText(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

/** JSON by extension or by a first character of [ or {; CSV otherwise (the server detects the separator). */
export function detectFormat(fileName: string, text: string): 'csv' | 'json' {
  if (/\.json$/i.test(fileName)) return 'json';
  if (/\.(csv|txt|tsv)$/i.test(fileName)) return 'csv';
  const first = text.replace(/^\ufeff/, '').trimStart()[0];
  return first === '[' || first === '{' ? 'json' : 'csv';
}

export interface ImportOptions {
  createOrgUnits: boolean;
  atomic: boolean;
}

export function importBody(file: { name: string; text: string }, options: ImportOptions, dryRun: boolean): ImportBody {
  return { format: detectFormat(file.name, file.text), content: file.text, dryRun, createOrgUnits: options.createOrgUnits, atomic: options.atomic };
}

/** What a dry run was made of: a commit is offered only for exactly that file and those options. */
export function importKey(file: { name: string; text: string }, options: ImportOptions): string {
  let hash = 0;
  for (let i = 0; i < file.text.length; i++) hash = (Math.imul(hash, 31) + file.text.charCodeAt(i)) | 0;
  return `${file.name}:${file.text.length}:${hash}:${options.createOrgUnits ? 1 : 0}${options.atomic ? 1 : 0}`;
}

/**
 * Whether the commit button makes sense after this dry run: something would be written, and an atomic import is
 * not doomed by a rejected row (it would write nothing).
 */
export function canCommit(dryRun: ImportResult | null, options: ImportOptions): boolean {
  if (!dryRun || !dryRun.dryRun) return false;
  const s = dryRun.summary;
  if (options.atomic && s.rejected > 0) return false;
  return s.added + s.updated + s.orgUnitsCreated > 0;
}

export const SUMMARY_KEYS = ['total', 'added', 'updated', 'unchanged', 'rejected', 'orgUnitsCreated'] as const satisfies ReadonlyArray<keyof ImportSummary>;

// ── Discovery ───────────────────────────────────────────────────────────────────────────────────────────

const IPV4 = '(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}';
const TARGET = new RegExp(`^${IPV4}(?:-(?:${IPV4}|\\d{1,3})|/(?:[0-9]|[12]\\d|3[0-2]))?$`);

/** Address list as typed: one per line or comma/space separated; addresses, ranges (a-b, a-n) and CIDR blocks. */
export function parseTargets(text: string): { targets: string[]; invalid: string[] } {
  const items = text.split(/[\s,;，；]+/).map((s) => s.trim()).filter(Boolean);
  const targets: string[] = [];
  const invalid: string[] = [];
  for (const item of items) (TARGET.test(item) ? targets : invalid).push(item);
  return { targets: [...new Set(targets)], invalid };
}

export function progressPercent(job: Pick<DiscoveryJob, 'probed' | 'total' | 'state'>): number {
  if (job.state !== 'running') return 100;
  if (job.total <= 0) return 0;
  return Math.min(100, Math.round((job.probed / job.total) * 100));
}

/** A live result replaces the one with the same id (re-interrogated, or added), else joins the list. */
export function mergeResult(results: readonly DiscoveryResult[], result: DiscoveryResult): DiscoveryResult[] {
  const i = results.findIndex((r) => r.id === result.id);
  if (i < 0) return [...results, result];
  const next = results.slice();
  next[i] = result;
  return next;
}

/** Only devices that answered and were interrogated can be added; an added one again updates its camera. */
export const canAdd = (r: DiscoveryResult): boolean => r.state !== 'failed' && r.xaddr !== null;

export interface ReviewChoice {
  network: string;
  orgUnitId: number | null;
  publicArea: boolean;
}

/** The add request for the selected results, each with its (edited) name; null when something is missing. */
export function addItems(
  results: readonly DiscoveryResult[],
  selected: ReadonlySet<number>,
  names: ReadonlyMap<number, string>,
  choice: ReviewChoice,
): DiscoveryAddBody | null {
  if (!choice.network || choice.orgUnitId === null) return null;
  const items = results
    .filter((r) => selected.has(r.id) && canAdd(r))
    .map((r) => {
      const name = (names.get(r.id) ?? r.suggestedName).trim().slice(0, 100);
      return { resultId: r.id, network: choice.network, orgUnitId: choice.orgUnitId!, publicArea: choice.publicArea, ...(name ? { name } : {}) };
    });
  return items.length ? { items } : null;
}

// ── RTSP ────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Credentials typed into the URL (rtsp://user:pass@host/…) move to the fields: the URL sent and shown never
 * carries a password. Returns the URL unchanged when it has none or does not parse.
 */
export function splitUrlCredentials(url: string): { url: string; username?: string; password?: string } {
  const m = /^(rtsps?:\/\/)([^@/?#]*)@(.*)$/i.exec(url.trim());
  if (!m) return { url: url.trim() };
  const [user, ...rest] = m[2].split(':');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return { url: `${m[1]}${m[3]}`, username: decode(user), password: decode(rest.join(':')) };
}

export const isRtspUrl = (url: string): boolean => /^rtsps?:\/\/[^\s/]+/i.test(url.trim());
