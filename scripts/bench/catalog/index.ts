// Catalogue benchmark: imports a 100,000-camera county through the real API (CSV with credentials, org units
// created from paths), re-imports it (all unchanged), exports it, then times the tree and search queries the
// console makes (run.ts, shared with bench:cluster). Prints one JSON object. Goals (issue 5), at 100,000 cameras:
// the first import ≤ 10 s, each query's p50 ≤ 50 ms. Quick look: `--cameras 1000 --runs 3`.
//   npm run bench:catalog [-- --cameras N --runs N --keep]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { LARGE_PLAN } from '../../../server/demo/county';
import { startBenchApp } from '../lib/app';
import { atMost, printReport, statedAt } from '../lib/report';
import { runCatalogue } from './run';

const { values } = parseArgs({
  options: { cameras: { type: 'string', default: String(LARGE_PLAN.cameras) }, runs: { type: 'string', default: '15' }, keep: { type: 'boolean', default: false } },
});

const bench = await startBenchApp('catalog');
const { worstQuery: _worst, ...figures } = await runCatalogue(bench, { cameras: Number(values.cameras), runs: Number(values.runs) });
const goals = statedAt({
  importSec: atMost(figures.import.firstSec, 10),
  worstQueryP50Ms: atMost(figures.worstQueryMs, 50),
}, `${LARGE_PLAN.cameras} cameras`, figures.cameras >= LARGE_PLAN.cameras);
printReport('catalog', goals, { ...figures, loadAverage: loadavg().map((l) => +l.toFixed(2)) });
await bench.close(values.keep);
if (values.keep) console.error(`kept ${bench.dataDir}`);
