import { defineConfig } from 'vitest/config';
import { postgresUnavailable } from './scripts/postgres/bin.mjs';

// Two projects (server/db/README.md, "Tests on PostgreSQL"): `sqlite` runs everything, as before; `postgres` runs the
// repository and integration files again with CVC_TEST_DB=postgres, so that test/helpers/app.ts builds each app on
// a fresh PostgreSQL database. The postgres project is left out, with the reason printed, where initdb is absent.
// `vitest run --project sqlite` (or `postgres`) runs one of them.

/** Files that build the app (or use the repositories) through test/helpers/app.ts: the database matters to them. */
const POSTGRES_INCLUDE = [
  'test/server/**/*.test.ts',
  'test/dispatch/**/*.test.ts',
  'test/users/**/*.test.ts',
  'test/org/**/*.test.ts',
  'test/share/**/*.test.ts',
  'test/maintenance/**/*.test.ts',
  'test/patrol/**/*.test.ts',
  'test/map/**/*.test.ts',
  'test/ptz/**/*.test.ts',
  'test/discovery/**/*.test.ts',
  'test/live/**/*.test.ts',
  'test/security/**/*.test.ts',
  'test/setup/setup-api.test.ts',
  'test/setup/scheduler.test.ts',
  // The recording index (RecordingRepository) of its own through test/record/helpers.ts, kill -9 recovery included.
  'test/record/store.test.ts',
  'test/record/recovery.test.ts',
  'test/record/recorder.test.ts',
  'test/record/plans.test.ts',
  'test/record/disk-full.test.ts',
  'test/record/danger-clips.test.ts',
  'test/record/device-playback.test.ts',
  'test/record/plan-routes.test.ts',
  'test/record/playback-routes.test.ts',
  'test/reliability/database-faults.test.ts',
];

/** Within those directories, files whose database is not the app's, or that already run on both engines. */
const POSTGRES_EXCLUDE = [
  // describe.each(backends): both engines in the sqlite project already.
  'test/server/database.test.ts',
  // No database: configuration, CSV, validation, the demo county's plan and its simulator, secrets files, password
  // and viewer-token rules, map settings, multicast in a network namespace.
  'test/server/config.test.ts',
  'test/server/csv.test.ts',
  'test/server/validation.test.ts',
  'test/server/county.test.ts',
  'test/server/demo-simulator.test.ts',
  'test/server/secrets.test.ts',
  'test/users/rules.test.ts',
  'test/share/viewer-token.test.ts',
  'test/map/map-config.test.ts',
  'test/discovery/multicast-netns.test.ts',
];

const pgSkip = postgresUnavailable();
// Once per run, although vitest may evaluate this file more than once.
const said = globalThis as { cvcPgSkipSaid?: boolean };
if (pgSkip && !said.cvcPgSkipSaid) console.warn(`vitest: the postgres project is skipped: ${pgSkip}`);
said.cvcPgSkipSaid = true;

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests bind loopback ports and spawn ffmpeg/chromium: keep files apart, two at a time on 2 cores.
    // For the whole run, not per project: the projects run one after the other (groupOrder below), two files at a time.
    pool: 'forks',
    maxWorkers: 2,
    // Stops the shared PostgreSQL cluster if a test started one (test/helpers/postgres.ts); starts nothing.
    globalSetup: ['test/helpers/postgres-teardown.ts'],
    projects: [
      {
        extends: true as const,
        test: {
          name: 'sqlite',
          // One project after the other: a file of both projects binds the same fixed loopback addresses (its
          // simulator cameras, test networks), so its two copies must never run at the same time. Each group has
          // the two workers to itself.
          sequence: { groupOrder: 0 },
          include: ['test/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      ...(pgSkip
        ? []
        : [{
          extends: true as const,
          test: {
            name: 'postgres',
            sequence: { groupOrder: 1 },
            include: POSTGRES_INCLUDE,
            exclude: POSTGRES_EXCLUDE,
            env: { CVC_TEST_DB: 'postgres' },
          },
        }]),
    ],
  },
});
