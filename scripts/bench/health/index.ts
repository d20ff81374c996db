// Health-check benchmark (issue 21): one cycle of the app's own checker (server/plugins/health.ts: the probes,
// the socket budget, batched status writes into the real SQLite catalogue) over a county of cameras played by a
// loopback responder in its own process (./responder.ts: most answer RTSP OPTIONS or ONVIF GetSystemDateAndTime,
// every 10th is dark — accepts and never answers). Goals, at 100,000 cameras with 10 % silent: the cycle ends
// within its configured period (10 minutes), the event loop's p99 delay while it runs ≤ 50 ms (what live relays
// sharing the process would feel), and exactly the silent cameras found dark. A full run takes the period plus
// ~30 s of setup; it is cut off at 1.5 periods + 2 minutes. Then one maintenance sweep opens a ticket per dark
// camera (goal: as many as were silent) and the county's availability report is timed. Quick look: `--cameras 10000 --cycle-min 1`.
//   npm run bench:health [-- --cameras N --cycle-min M --timeout-ms T --budget B --onvif-share 0.2]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { COUNTY_NAME, generateCounty, LARGE_PLAN } from '../../../server/demo/county';
import { toCsv } from '../../../server/csv/write';
import { buildHealthChecker } from '../../../server/plugins/health';
import { startBenchApp, timed } from '../lib/app';
import { atMost, equals, printReport, statedAt } from '../lib/report';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string', default: String(LARGE_PLAN.cameras) },
    'cycle-min': { type: 'string', default: '10' },
    'timeout-ms': { type: 'string', default: '3000' },
    budget: { type: 'string', default: '512' },
    'onvif-share': { type: 'string', default: '0.2' },
  },
});
const cameras = Number(values.cameras);
const cycleMin = Number(values['cycle-min']);
const timeoutMs = Number(values['timeout-ms']);
const SILENT_EVERY = 10;
const RTSP_LISTENERS = 100;
const ONVIF_LISTENERS = 25;
const onvifEvery = Math.round(1 / Number(values['onvif-share'])); // camera N is ONVIF when N % onvifEvery === 1

const hardStop = setTimeout(() => {
  console.error('bench:health: cut off (1.5 periods + 2 min)');
  responder.kill();
  process.exit(2);
}, cycleMin * 60_000 * 1.5 + 120_000);

const responder = spawn(process.execPath, ['--import', 'tsx', new URL('./responder.ts', import.meta.url).pathname, String(RTSP_LISTENERS), String(ONVIF_LISTENERS), String(SILENT_EVERY)], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: responder.stdout! })[Symbol.asyncIterator]();
if ((await lines.next()).value !== 'ready') throw new Error('the responder did not start');

const bench = await startBenchApp('health', {
  overrides: { health: { enabled: false, cycleMinutes: cycleMin, concurrency: Number(values.budget), timeoutMs } },
});
const { fastify } = bench;
const { headers } = await bench.signIn('admin', 'admin123');

// The catalogue: the large county's cameras, numbered 1…N in the responder's scheme. Ids follow import order.
console.error(`importing ${cameras} cameras…`);
await fastify.db.run('DELETE FROM cameras');
const county = generateCounty({ ...LARGE_PLAN, cameras });
const unitByCode = new Map(county.units.map((u) => [u.code, u]));
const pathOf = (code: string): string => {
  const u = unitByCode.get(code)!;
  return u.parentCode ? `${pathOf(u.parentCode)}/${u.name}` : COUNTY_NAME;
};
const csv = toCsv(
  ['设备编码', '设备名称', '所属网络', '组织路径', '纬度', '经度', '取流地址', '用户名', '密码'],
  county.cameras.map((c, i) => [
    c.externalId, c.name, c.network, pathOf(c.orgUnitCode), c.lat, c.lng,
    `rtsp://127.91.0.${(i % RTSP_LISTENERS) + 1}:10554/cam/${i + 1}`, 'admin', `pw-${i}`,
  ]),
);
const imported = await fastify.inject({ method: 'POST', url: '/api/catalogue/import', headers, payload: { format: 'csv', content: csv, createOrgUnits: true } });
if (imported.statusCode !== 200) throw new Error(`import: ${imported.statusCode} ${imported.body.slice(0, 300)}`);
// Number each camera by its stream URL's /cam/N, and make every onvifEvery-th an ONVIF device.
await fastify.db.run(
  `UPDATE cameras SET source_kind = 'onvif',
     endpoint = 'http://127.92.0.' || ((CAST(substr(stream_url, instr(stream_url, '/cam/') + 5) AS INTEGER) % ?) + 1) || ':10080/onvif/device_service/' || substr(stream_url, instr(stream_url, '/cam/') + 5)
   WHERE CAST(substr(stream_url, instr(stream_url, '/cam/') + 5) AS INTEGER) % ? = 1`,
  [ONVIF_LISTENERS, onvifEvery],
);
const onvifCameras = (await fastify.db.get<{ n: number }>("SELECT count(*) AS n FROM cameras WHERE source_kind = 'onvif'"))!.n;

console.error(`one cycle of ${cycleMin} min…`);
const checker = buildHealthChecker(fastify);
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const cycle = await timed(() => checker.cycle());
loop.disable();

const darkRows = await fastify.db.all<{ n: number; reason: string }>(
  `SELECT CAST(substr(coalesce(stream_url, endpoint), instr(coalesce(stream_url, endpoint), '/cam/') + 5) AS INTEGER) AS n, status_reason AS reason
   FROM cameras WHERE status = 'offline'`,
);
// The county generator adds its compound cameras to the count asked for; camera N is /cam/N, 1…total.
const total = county.cameras.length;
const silentCount = Math.floor(total / SILENT_EVERY);
const darkSilent = darkRows.filter((r) => r.n % SILENT_EVERY === 0).length;
const falseDark = darkRows.length - darkSilent;
const online = (await fastify.db.get<{ n: number }>("SELECT count(*) AS n FROM cameras WHERE status = 'online'"))!.n;
const history = (await fastify.db.get<{ n: number }>('SELECT count(*) AS n FROM camera_status_log'))!.n;
// What the tickets do with it: one sweep as if the threshold had passed (a ticket per dark camera, each its own
// transaction with audit row and event), then the county's availability report over the status history.
// A sweep opens at most 2,000 (a county going dark is ticketed over a few sweeps): sweep until nothing is left.
const sweep = await timed(async () => {
  const later = new Date(Date.now() + fastify.config.maintenance.offlineMinutes * 60_000 + 1000);
  let opened = 0;
  let sweeps = 0;
  for (let n = -1; n !== 0; sweeps++) {
    n = (await fastify.maintenance.sweep(later)).opened;
    opened += n;
  }
  return { opened, sweeps };
});
const report = await timed(() => fastify.inject({ url: '/api/stats/availability', headers }));
if (report.value.statusCode !== 200) throw new Error(`availability: ${report.value.statusCode} ${report.value.body.slice(0, 200)}`);
responder.stdin!.write('counts\n');
const counts = JSON.parse((await lines.next()).value as string) as { answered: number; ignored: number };

const p99 = +(loop.percentile(99) / 1e6).toFixed(1);
const goals = statedAt({
  cycleSec: atMost(+(cycle.ms / 1000).toFixed(1), cycleMin * 60),
  eventLoopP99Ms: atMost(p99, 50),
  darkDetected: equals(darkSilent, silentCount),
  falselyDark: equals(falseDark, 0),
  ticketsOpened: equals(sweep.value.opened, silentCount),
}, `${LARGE_PLAN.cameras} cameras, 10 % silent`, cameras >= LARGE_PLAN.cameras);
printReport('health', goals, {
  cameras: total,
  onvifCameras,
  silent: silentCount,
  configured: { cycleMinutes: cycleMin, budget: Number(values.budget), timeoutMs },
  cycle: { ...cycle.value, cpuSec: +(cycle.cpuMs / 1000).toFixed(1) },
  checksPerSec: +(total / (cycle.ms / 1000)).toFixed(1),
  eventLoopMs: { p50: +(loop.percentile(50) / 1e6).toFixed(1), p99, max: +(loop.max / 1e6).toFixed(1) },
  statuses: { online, offline: darkRows.length, reasons: Object.fromEntries([...new Set(darkRows.map((r) => r.reason))].map((k) => [k, darkRows.filter((r) => r.reason === k).length])) },
  historyRows: history,
  tickets: { sweepSec: +(sweep.ms / 1000).toFixed(1), ...sweep.value },
  availabilityReportMs: report.ms,
  responder: counts,
  loadAverage: loadavg().map((l) => +l.toFixed(2)),
  note: 'the machine is shared with other work: figures are indicative',
});
clearTimeout(hardStop);
responder.stdin!.end();
await bench.close();
