// Org move benchmark (issue #16): a village holding N cameras (default 100,000, imported through the real API)
// moves to another township and back through POST /api/org/units/:id/move. The move rewrites every stored path of
// the subtree one set-based UPDATE per column (OrgUnitRepository.move), so its time grows with the rows rewritten,
// not with a statement per camera. Prints one JSON object. Goal: a 100,000-camera move within 2 s on this machine
// (measured 0.5 s, 2 shared cores).
//   npm run bench:org-move [-- --cameras N --keep]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { OrgUnit } from '../../../server/contracts/api';
import { toCsv } from '../../../server/csv/write';
import { startBenchApp, timed } from '../lib/app';
import { atMost, equals, printReport, statedAt } from '../lib/report';

const GOAL_CAMERAS = 100_000;
const { values } = parseArgs({ options: { cameras: { type: 'string', default: String(GOAL_CAMERAS) }, keep: { type: 'boolean', default: false } } });
const cameras = Number(values.cameras);

const bench = await startBenchApp('org-move');
const { fastify } = bench;
const { cookie, headers } = await bench.signIn('admin', 'admin123');

const { repos, db } = fastify;
const village = (await repos.orgUnits.findByCode('339901002001'))!; // 团结社区 of 东城街道
const [from, to] = [(await repos.orgUnits.findByCode('339901002'))!, (await repos.orgUnits.findByCode('339901001'))!];
const csv = toCsv(
  ['设备编码', '设备名称', '所属网络', '组织路径', '取流地址'],
  Array.from({ length: cameras }, (_, i) => [
    `BENCH-${i}`, `压测点位${i}`, '天网', '安澜县/东城街道/团结社区', `rtsp://10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}:554/live`,
  ]),
);
const imported = await timed(async () => {
  const res = await fastify.inject({ method: 'POST', url: '/api/catalogue/import', headers, payload: { format: 'csv', content: csv } });
  if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 300)}`);
});
const inVillage = (await repos.cameras.list(village.path, { limit: 1 })).total;
console.error(`imported ${cameras} cameras in ${imported.ms} ms; ${inVillage} in the village`);

async function move(parentId: number) {
  return timed(async () => {
    const res = await fastify.inject({ method: 'POST', url: `/api/org/units/${village.id}/move`, headers, payload: { parentId } });
    if (res.statusCode !== 200) throw new Error(`move: ${res.statusCode} ${res.body.slice(0, 300)}`);
    return res.json() as OrgUnit;
  });
}
const there = await move(to.id);
const newPath = `${to.path}${village.id}/`;
const atNewPath = (await db.get<{ n: number }>('SELECT count(*) AS n FROM cameras WHERE org_path >= ? AND org_path < ?', [newPath, `${newPath}~`]))!.n;
const back = await move(from.id);
const [audit] = (await fastify.inject({ url: '/api/audit?action=org.move&limit=1', headers: { cookie } })).json().items as Array<{ detail: { rewritten: Record<string, number> } }>;

printReport('org-move', statedAt({
  moveSec: atMost(+(Math.max(there.ms, back.ms) / 1000).toFixed(2), 2),
  camerasFollowed: equals(atNewPath === inVillage, true),
}, `${GOAL_CAMERAS} cameras`, inVillage >= GOAL_CAMERAS), {
  camerasInSubtree: inVillage,
  importSec: +(imported.ms / 1000).toFixed(2),
  move: { sec: +(there.ms / 1000).toFixed(2), cpuSec: +(there.cpuMs / 1000).toFixed(2), cameraCount: there.value.cameraCount },
  moveBack: { sec: +(back.ms / 1000).toFixed(2), cpuSec: +(back.cpuMs / 1000).toFixed(2) },
  rewritten: audit?.detail.rewritten,
  loadAverage: loadavg().map((l) => +l.toFixed(2)),
});
await bench.close(values.keep);
if (values.keep) console.error(`kept ${bench.dataDir}`);
