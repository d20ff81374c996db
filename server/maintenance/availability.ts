// 在线率 / 完好率 rows from the per-(network, child unit) sums of AvailabilityRepository: per network, per child unit
// of the scope (townships, for the county) and in total; and the same as CSV (server/csv/write.ts).
import type { AvailabilityRow } from '../contracts/maintenance';
import { toCsv } from '../csv/write';
import type { AvailabilitySums } from '../db/repositories/availability';

export interface Label {
  key: string;
  name: string;
  nameEn: string;
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function row(label: Label, sums: AvailabilitySums[]): AvailabilityRow {
  const add = (k: keyof Omit<AvailabilitySums, 'network' | 'childPath'>) => sums.reduce((a, s) => a + s[k], 0);
  const observed = add('observed');
  const span = add('span');
  return {
    ...label,
    cameras: add('cameras'),
    onlineRate: observed > 0 ? round(add('online') / observed) : null,
    intactRate: span > 0 ? round(Math.max(0, 1 - add('down') / span)) : null,
    openTickets: add('openTickets'),
    ticketsOpened: add('ticketsOpened'),
  };
}

/** `children`: the scope's child units with their paths. */
export function availabilityRows(sums: AvailabilitySums[], networks: Label[], children: Array<Label & { path: string }>, total: Label) {
  return {
    total: row(total, sums),
    byNetwork: networks.map((n) => row(n, sums.filter((s) => s.network === n.key))),
    byUnit: children.map((c) => row(c, sums.filter((s) => s.childPath === c.path))),
  };
}

const COLUMNS: Array<[keyof AvailabilityRow, string]> = [
  ['name', '名称 Name'],
  ['cameras', '摄像机 Cameras'],
  ['onlineRate', '在线率 Online rate'],
  ['intactRate', '完好率 Intact rate'],
  ['openTickets', '未结工单 Open tickets'],
  ['ticketsOpened', '期间派单 Tickets opened'],
  ['nameEn', '英文名称 Name (English)'],
];

export function availabilityCsv(rows: AvailabilityRow[], total: AvailabilityRow): string {
  return toCsv(COLUMNS.map(([, h]) => h), [...rows, total].map((r) => COLUMNS.map(([k]) => r[k])));
}
