// Fleet CLI: npm run simulate -- --cameras N [--from-index K] [--control-port P] [--net N] [--large | --townships N --villages N --plan-cameras N]
//   [--push rtmp://127.0.0.1:<port>/live/<key> ...]  pushing devices (RTMP publishers of the h264-aac fixture)
// Starts N simulated cameras of the generated county (the demo county unless told otherwise; the same plan
// options as `npm run seed`, so the fleet matches the seeded database), prints one JSON line per camera on
// stdout, serves the fault-control endpoint when --control-port is given, and stops cleanly on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { type CountyPlan, DEMO_PLAN, LARGE_PLAN, generateCounty } from '../../server/demo/county';
import { startFleet } from './fleet';
import { startPusher } from './pusher';
import { planFleet } from '../../server/demo/camera-plan';

const { values } = parseArgs({
  options: {
    cameras: { type: 'string' },
    'from-index': { type: 'string', default: '0' },
    'control-port': { type: 'string' },
    large: { type: 'boolean', default: false },
    townships: { type: 'string' },
    villages: { type: 'string' },
    'plan-cameras': { type: 'string' },
    'session-timeout': { type: 'string' },
    net: { type: 'string', default: '0' },
    push: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  console.error('usage: npm run simulate -- --cameras N [--from-index K] [--control-port P] [--large | --townships N --villages N --plan-cameras N]');
  process.exit(0);
}

function whole(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

const base: CountyPlan = values.large ? LARGE_PLAN : DEMO_PLAN;
const plan: CountyPlan = {
  ...base,
  townships: whole('townships', values.townships, base.townships),
  villagesPerTownship: whole('villages', values.villages, base.villagesPerTownship),
  cameras: whole('plan-cameras', values['plan-cameras'], base.cameras),
};
const fromIndex = whole('from-index', values['from-index'], 0);
const count = whole('cameras', values.cameras, plan.cameras + plan.compoundCameras - fromIndex);
// Past the end of the plan, grow the county's ordinary cameras (the compound's indexes then move; only
// benchmarks go there, and they read the JSON lines rather than a seeded database).
const needed = fromIndex + count;
if (needed > plan.cameras + plan.compoundCameras) plan.cameras = needed - plan.compoundCameras;
const seeds = generateCounty(plan).cameras.slice(fromIndex, needed);
const net = whole('net', values.net, 0);
if (net > 255) {
  console.error(`--net must be 0–255 (the second octet of 127.N.x.y), got ${net}`);
  process.exit(2);
}
const specs = planFleet(seeds, net);

const controlPort = values['control-port'] === undefined ? undefined : whole('control-port', values['control-port'], 0);
const fleet = await startFleet(specs, {
  controlPort,
  sessionTimeoutSec: values['session-timeout'] ? whole('session-timeout', values['session-timeout'], 60) : undefined,
}).catch((err: Error) => {
  console.error(`[simulator] ${err.message}`);
  process.exit(1);
});

for (const c of fleet.cameras) {
  const s = c.spec;
  process.stdout.write(JSON.stringify({
    id: s.id, name: s.name, network: s.network, orgUnitCode: s.orgUnitCode, onvifXAddr: c.onvifXAddr, rtspUrl: c.rtspUrl,
    subStreamUrl: c.subStreamUrl, username: s.username, password: s.password, fixture: s.fixture, subFixture: s.subFixture,
  }) + '\n');
}
console.error(`[simulator] ${fleet.cameras.length} cameras up (indexes ${fromIndex}–${needed - 1})` +
  (fleet.controlUrl ? `, control on ${fleet.controlUrl}` : ''));

for (const [i, rtmpUrl] of (values.push ?? []).entries()) {
  const p = startPusher({ rtmpUrl });
  fleet.pushers.set(`push-${i}`, p);
  void p.exited.then((code) => { if (!stopping) console.error(`[simulator] pusher push-${i} exited (${code})`); });
}
if (values.push?.length) console.error(`[simulator] ${values.push.length} pushing devices publishing`);

let stopping = false;
const stop = (signal: string) => {
  if (stopping) process.exit(1); // a second signal: do not wait any longer
  stopping = true;
  console.error(`[simulator] ${signal}: stopping`);
  const force = setTimeout(() => process.exit(1), 5000);
  force.unref();
  fleet.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
