// Seeds a county into a database file: the demo county by default, or a large one for benchmarks.
//   npm run seed -- [--large | --townships N --villages N --cameras N] [--data-dir DIR]
// Prints a JSON summary. Refuses to seed a database that already has an org tree.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Database } from '../server/db/database';
import { migrate } from '../server/db/migrate';
import { createRepositories } from '../server/db/repositories';
import { DEMO_PLAN, generateCounty, LARGE_PLAN, type CountyPlan } from '../server/demo/county';
import { isSeeded, seedCounty } from '../server/demo/seed';
import { loadConfig } from '../server/config';
import { createSecrets } from '../server/security/secrets';

const { values } = parseArgs({
  options: {
    large: { type: 'boolean', default: false },
    townships: { type: 'string' },
    villages: { type: 'string' },
    cameras: { type: 'string' },
    'data-dir': { type: 'string' },
  },
});

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${raw}"`);
  return n;
}

const base: CountyPlan = values.large ? LARGE_PLAN : DEMO_PLAN;
const plan: CountyPlan = {
  ...base,
  townships: positive('townships', values.townships, base.townships),
  villagesPerTownship: positive('villages', values.villages, base.villagesPerTownship),
  cameras: positive('cameras', values.cameras, base.cameras),
};

const config = loadConfig();
const dataDir = values['data-dir'] ?? config.dataDir;
mkdirSync(dataDir, { recursive: true });
const db = await Database.open(join(dataDir, 'console.sqlite'));
await migrate(db);
const secrets = createSecrets(dataDir, config.session.secret);
const repos = createRepositories(db, secrets);
await repos.networks.sync(config.networks);
if (await isSeeded(db)) {
  console.error(`${dataDir}/console.sqlite already has an org tree; use an empty --data-dir`);
  await db.close();
  process.exit(1);
}
const started = performance.now();
const result = await seedCounty(db, repos, secrets, generateCounty(plan));
console.log(JSON.stringify({ dataDir, plan, ...result, seconds: +((performance.now() - started) / 1000).toFixed(2) }));
await db.close();
