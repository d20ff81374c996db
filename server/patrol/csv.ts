// Patrol statistics as CSV for Excel through the one CSV writer (server/csv/write.ts), bilingual headers.
import type { PatrolStatsRow } from '../contracts/patrol';
import { toCsv } from '../csv/write';

const COLUMNS: Array<[keyof PatrolStatsRow, string]> = [
  ['name', '名称 Name'],
  ['due', '应巡 Due'],
  ['completed', '完成 Completed'],
  ['onTime', '按时完成 On time'],
  ['overdue', '超期 Overdue'],
  ['camerasAsked', '应巡点位 Cameras asked'],
  ['camerasMarked', '已巡点位 Cameras patrolled'],
  ['coverage', '覆盖率 Coverage'],
  ['findings', '发现问题 Findings'],
  ['dangers', '发现隐患 Dangers'],
];

export function patrolCsv(rows: PatrolStatsRow[], total: PatrolStatsRow): string {
  return toCsv(COLUMNS.map(([, header]) => header), [...rows, total].map((row) => COLUMNS.map(([key]) => row[key])));
}
