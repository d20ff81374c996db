// A county's staff list as an administrator would prepare it in a sheet: one row per account, spread over the
// county, its townships and villages, each with the role that fits its unit, written with the one CSV writer.
// Shared by bench:users and test/users/import.test.ts.
import { toCsv } from '../../../server/csv/write';
import { COUNTY_CODE, COUNTY_NAME, DEMO_PLAN, generateCounty } from '../../../server/demo/county';

export interface RosterRow {
  username: string;
  name: string;
  role: string;
  orgPath: string;
  phone: string;
}

/** The demo county's units with their name paths ('安澜县/城关镇/…'), compound left out. */
export function demoUnitPaths(): Array<{ path: string; level: 'county' | 'township' | 'village' }> {
  const { units } = generateCounty(DEMO_PLAN);
  const byCode = new Map(units.map((u) => [u.code, u]));
  const pathOf = (code: string): string => {
    const u = byCode.get(code)!;
    return u.parentCode ? `${pathOf(u.parentCode)}/${u.name}` : COUNTY_NAME;
  };
  return units
    .filter((u) => u.level !== 'compound')
    .map((u) => ({ path: pathOf(u.code), level: u.level as 'county' | 'township' | 'village' }))
    .sort((a, b) => Number(a.path !== COUNTY_NAME) - Number(b.path !== COUNTY_NAME));
}

/** `count` accounts named `${prefix}0001`…, Chinese role words as a sheet would have them. */
export function roster(count: number, prefix = 'staff'): RosterRow[] {
  const units = demoUnitPaths();
  const role = { county: '县级调度员', township: '乡镇值班员', village: '村级值班员' } as const;
  return Array.from({ length: count }, (_, i) => {
    const unit = units[i % units.length];
    return {
      username: `${prefix}${String(i + 1).padStart(4, '0')}`,
      name: `值班员${i + 1}号`,
      role: role[unit.level],
      orgPath: unit.path,
      phone: `138${String(COUNTY_CODE).slice(-2)}${String(i).padStart(6, '0')}`,
    };
  });
}

export function rosterCsv(rows: readonly RosterRow[]): string {
  return toCsv(['用户名', '姓名', '角色', '所属单位', '手机'], rows.map((r) => [r.username, r.name, r.role, r.orgPath, r.phone]));
}
