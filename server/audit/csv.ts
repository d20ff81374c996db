// The audit log as CSV for Excel: UTF-8 with a BOM (Excel on Chinese Windows guesses GBK without it), CRLF line
// ends, bilingual headers, China time beside UTC, formula-like cells defused (server/csv/write.ts). Written as a
// stream of chunks so 100,000 rows never sit in memory as one string.
import type { AuditSearchRow } from '../db/repositories/audit';
import { BOM, csvLine, type CsvValue } from '../csv/write';
import { actionLabel } from './actions';

/** Most rows one export returns; the page tells the user to narrow the filters beyond it. */
export const CSV_MAX_ROWS = 100_000;

const CHINA_OFFSET_MS = 8 * 3600_000;

/** '2026-11-23 23:05:09' in China Standard Time (UTC+8, no daylight saving). */
export function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

const COLUMNS: Array<[string, (r: AuditSearchRow) => CsvValue]> = [
  ['时间(北京时间) Time (UTC+8)', (r) => chinaTime(r.at)],
  ['时间(UTC) Time (UTC)', (r) => r.at],
  ['操作人类型 Actor type', (r) => r.actorType],
  ['操作人ID Actor id', (r) => r.actorId],
  ['操作人 Actor', (r) => r.actorName],
  ['操作 Action', (r) => r.action],
  ['操作说明 Action (zh)', (r) => actionLabel(r.action, 'zh')],
  ['对象类型 Target type', (r) => r.targetType],
  ['对象ID Target id', (r) => r.targetId],
  ['单位ID Org unit id', (r) => r.orgUnitId],
  ['单位 Org unit', (r) => r.orgUnitName],
  ['IP', (r) => r.ip],
  ['详情 Detail', (r) => r.detail],
];

const auditCsvHeader = (): string => BOM + csvLine(COLUMNS.map(([h]) => h));

const auditCsvLines = (rows: AuditSearchRow[]): string =>
  rows.map((r) => csvLine(COLUMNS.map(([, cell]) => cell(r)))).join('');

/** Header, then the rows of `batches` until they run out or `max` rows are written. */
export async function* auditCsv(batches: AsyncIterable<AuditSearchRow[]>, max = CSV_MAX_ROWS): AsyncGenerator<string> {
  yield auditCsvHeader();
  let written = 0;
  for await (const rows of batches) {
    const take = rows.slice(0, max - written);
    yield auditCsvLines(take);
    written += take.length;
    if (written >= max) return;
  }
}
