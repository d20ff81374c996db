import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'server/**/*.test.ts', 'scripts/**/*.test.ts', 'web/src/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests bind loopback ports and spawn ffmpeg/chromium: keep files apart, two at a time on 2 cores.
    pool: 'forks',
    maxWorkers: 2,
    // Stops the shared PostgreSQL cluster if a test started one (test/helpers/postgres.ts); starts nothing.
    globalSetup: ['test/helpers/postgres-teardown.ts'],
  },
});
