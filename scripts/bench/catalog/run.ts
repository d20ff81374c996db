// The catalogue round itself, on a BenchApp of either engine: bench:catalog runs it on SQLite, bench:cluster on
// PostgreSQL and SQLite side by side. Imports a county of `cameras` cameras through the real API (CSV with
// credentials, org units created from paths), re-imports it (all unchanged), exports it, then times the tree and
// search queries the console makes, `runs` times each (nearest-rank p50).
import type { OrgUnit } from '../../../server/contracts/api';
import type { ImportResult } from '../../../server/contracts/catalogue';
import { COUNTY_NAME, generateCounty, LARGE_PLAN } from '../../../server/demo/county';
import { toCsv } from '../../../server/csv/write';
import { type BenchApp, timed } from '../lib/app';
import { percentile } from '../lib/percentile';

export async function runCatalogue(bench: BenchApp, opts: { cameras: number; runs: number }) {
  const { fastify } = bench;
  const { cookie, headers } = await bench.signIn('admin', 'admin123');

  // The large county's catalogue as a platform would export it: unit paths by name, one RTSP URL and login each.
  const county = generateCounty({ ...LARGE_PLAN, cameras: opts.cameras });
  const unitName = new Map(county.units.map((u) => [u.code, u]));
  const pathOf = (code: string): string => {
    const u = unitName.get(code)!;
    return u.parentCode ? `${pathOf(u.parentCode)}/${u.name}` : COUNTY_NAME;
  };
  const csv = toCsv(
    ['设备编码', '设备名称', '所属网络', '组织路径', '纬度', '经度', '安装地址', '取流地址', '用户名', '密码', '公共区域', '云台'],
    county.cameras.map((c, i) => [
      c.externalId, c.name, c.network, pathOf(c.orgUnitCode), c.lat, c.lng, c.address,
      `rtsp://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:554/Streaming/Channels/101`, 'admin', `pw-${i}`, c.publicArea, c.ptz,
    ]),
  );

  async function importCsv(extra: Record<string, unknown> = {}) {
    return timed(async () => {
      const res = await fastify.inject({ method: 'POST', url: '/api/catalogue/import', headers, payload: { format: 'csv', content: csv, createOrgUnits: true, ...extra } });
      if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 300)}`);
      return res.json() as ImportResult;
    });
  }

  const dry = await importCsv({ dryRun: true });
  const first = await importCsv();
  const again = await importCsv();
  const exported = await timed(async () => (await fastify.inject({ url: '/api/catalogue/export', headers: { cookie } })).body.length);

  async function query(url: string) {
    const samples: number[] = [];
    let body = '';
    for (let i = 0; i < opts.runs; i++) {
      const { ms, value } = await timed(() => fastify.inject({ url, headers: { cookie } }));
      if (value.statusCode !== 200) throw new Error(`${url}: ${value.statusCode} ${value.body.slice(0, 200)}`);
      samples.push(ms);
      body = value.body;
    }
    return { url, p50: percentile(samples, 50), max: Math.max(...samples), body };
  }

  const root = JSON.parse((await query('/api/org/units')).body)[0] as OrgUnit;
  const townships = JSON.parse((await query(`/api/org/units?parentId=${root.id}`)).body) as OrgUnit[];
  const queries = [
    '/api/org/units',
    `/api/org/units?parentId=${root.id}`,
    `/api/org/units?parentId=${townships[1].id}`,
    '/api/cameras?limit=100',
    `/api/cameras?orgUnitId=${townships[1].id}&limit=100`,
    `/api/cameras?q=${encodeURIComponent('主路口')}`,
    `/api/cameras?q=${encodeURIComponent('路口')}`,
    `/api/cameras?q=${encodeURIComponent('镇')}`,
    `/api/cameras?q=${encodeURIComponent(county.cameras[54321]?.externalId ?? 'XL339901')}`,
    `/api/cameras?q=${encodeURIComponent('不存在的点位')}`,
    `/api/cameras?q=${encodeURIComponent('东风')}&network=xueliang&status=unknown`,
  ];
  const results = [];
  for (const url of queries) {
    const { p50, max, body } = await query(url);
    const parsed = JSON.parse(body);
    results.push({ url: decodeURIComponent(url), p50Ms: p50, maxMs: max, rows: Array.isArray(parsed) ? parsed.length : parsed.total });
  }
  const worst = results.reduce((a, b) => (b.p50Ms > a.p50Ms ? b : a));

  return {
    cameras: county.cameras.length,
    csvMB: +(csv.length / 1e6).toFixed(1),
    import: {
      dryRunSec: +(dry.ms / 1000).toFixed(2),
      firstSec: +(first.ms / 1000).toFixed(2),
      firstCpuSec: +(first.cpuMs / 1000).toFixed(2),
      firstSummary: first.value.summary,
      reimportSec: +(again.ms / 1000).toFixed(2),
      reimportCpuSec: +(again.cpuMs / 1000).toFixed(2),
      reimportSummary: again.value.summary,
    },
    exportSec: +(exported.ms / 1000).toFixed(2),
    queries: results,
    percentiles: `nearest rank over ${opts.runs} runs each`,
    worstQueryMs: worst.p50Ms,
    worstQuery: worst.url,
  };
}
