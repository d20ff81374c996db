// migrate-to-postgres benchmark: a generated county of N cameras (default 50,000, with credentials, map shapes and
// the demo users) seeded into a fresh SQLite file, then copied into a fresh PostgreSQL database on a throwaway
// cluster (initdb in a temp directory, loopback only; stopped and removed at the end) with the same code as
// `npm run admin -- migrate-to-postgres`. Prints one JSON object. Goal: the copy of 50,000 cameras in ≤ 20 s.
//   npm run bench:migrate-pg [-- --cameras N]
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../../server/config';
import { Database } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { createRepositories } from '../../../server/db/repositories';
import { generateCounty, LARGE_PLAN } from '../../../server/demo/county';
import { seedCounty } from '../../../server/demo/seed';
import { createSecrets } from '../../../server/security/secrets';
import { clusterDir, createTestDatabase, postgresUnavailable, stopCluster } from '../../../test/helpers/postgres';
import { copySqliteToPostgres } from '../../admin/copy-to-postgres';
import { atMost, equals, printReport, statedAt } from '../lib/report';

const { values } = parseArgs({ options: { cameras: { type: 'string', default: '50000' } } });
const cameras = Number(values.cameras);
const unavailable = postgresUnavailable();
if (unavailable) {
  console.error(`bench:migrate-pg needs PostgreSQL: ${unavailable}`);
  process.exit(1);
}

const dir = mkdtempSync(join(tmpdir(), 'cvc-bench-migrate-'));
try {
  const file = join(dir, 'console.sqlite');
  const seedStart = Date.now();
  const db = await Database.open(file);
  await migrate(db);
  const secrets = createSecrets(dir, '');
  const repos = createRepositories(db, secrets);
  await repos.networks.sync(loadConfig({ env: {} }).networks);
  await seedCounty(db, repos, secrets, generateCounty({ ...LARGE_PLAN, cameras }));
  await db.close();
  const seedMs = Date.now() - seedStart;
  console.error(`seeded ${cameras} cameras in ${seedMs} ms; copying…`);

  const url = await createTestDatabase('bench_migrate');
  // Time per table: between one table's end and the next (the first also holds the checks and migrations).
  const perTable: Record<string, number> = {};
  let mark = Date.now();
  const result = await copySqliteToPostgres(file, url, {
    onTable: (t, n) => {
      perTable[t] = Date.now() - mark;
      mark = Date.now();
      if (n > 1000) console.error(`  ${t}: ${n} rows, ${perTable[t]} ms`);
    },
  });
  const rows = result.tables.reduce((s, t) => s + t.postgres, 0);
  const copiedCameras = result.tables.find((t) => t.table === 'cameras')?.postgres ?? 0;
  printReport('migrate-pg', statedAt({
    copySeconds: atMost(Math.round(result.ms / 100) / 10, 20),
    countsVerified: equals(result.mismatched.length === 0, true),
  }, '50,000 cameras', cameras >= 50_000), {
    cameras: copiedCameras,
    rows,
    tables: result.tables.length,
    copyMs: result.ms,
    rowsPerSecond: Math.round(rows / (result.ms / 1000)),
    seedMs,
    slowestTablesMs: Object.fromEntries(Object.entries(perTable).sort((x, y) => y[1] - x[1]).slice(0, 5)),
    loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
  });
} finally {
  stopCluster(clusterDir());
  rmSync(dir, { recursive: true, force: true });
}
