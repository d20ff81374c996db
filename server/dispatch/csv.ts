// Statistics as CSV for Excel: UTF-8 with a BOM (without it Excel on Chinese Windows guesses GBK and garbles the
// names), CRLF line ends, bilingual headers, and cells that start like a formula defused.
import type { StatsRow } from '../contracts/dispatch';

const BOM = '\uFEFF';

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
];

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A cell starting with = + - @ is a formula to Excel; names come from users, so neutralise them.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function statsCsv(rows: StatsRow[], total: StatsRow): string {
  const lines = [CSV_COLUMNS.map(([, header]) => csvCell(header)).join(',')];
  for (const row of [...rows, total]) lines.push(CSV_COLUMNS.map(([key]) => csvCell(row[key])).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}
