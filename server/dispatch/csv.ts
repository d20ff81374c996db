// Statistics as CSV for Excel (server/csv/write.ts: BOM, CRLF, formula-like cells guarded), bilingual headers.
import type { StatsRow } from '../contracts/dispatch';
import { toCsv } from '../csv/write';

export const CSV_COLUMNS: Array<[keyof StatsRow, string]> = [
  ['name', '名称 Name'],
  ['found', '发现 Found'],
  ['dispatched', '派发 Dispatched'],
  ['closed', '办结 Closed'],
  ['returned', '退回 Returned'],
  ['overdue', '超期 Overdue'],
  ['closureRate', '办结率 Closure rate'],
  ['avgAcceptSec', '平均签收时长(秒) Avg accept (s)'],
  ['avgCloseSec', '平均办结时长(秒) Avg close (s)'],
  // Last, so that columns read by position stay where they were: units' English names (组织机构, #16), categories'
  // and networks' own.
  ['nameEn', '英文名称 Name (English)'],
  // Verified closure (#21): the exact figure and what waits for its re-check, after the older columns.
  ['closureRatePercent', '办结率(%) Closure rate (%)'],
  ['pendingRecheck', '待复查 Pending re-check'],
];

export function statsCsv(rows: StatsRow[], total: StatsRow): string {
  return toCsv(CSV_COLUMNS.map(([, header]) => header), [...rows, total].map((row) => CSV_COLUMNS.map(([key]) => row[key])));
}
