// Scheduled backups on PostgreSQL: the demo county on a PostgreSQL database, backup.enabled, one scheduled run. The
// file is the usual gzipped tar (tar unpacks it) holding pg_dump's custom format, which pg_restore lists and
// restores into an empty database with every camera, plus the keys of dataDir; the file-based restore refuses it
// and says how to restore it. Skips without PostgreSQL (initdb) or its client programs (pg_dump, pg_restore).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_DUMP_FILE, restoreBackup, RestoreRefusedError } from '../../server/backup/backup';
import { findPgDump } from '../../server/backup/pg-dump';
import { TEST_SIMULATOR_NET } from '../helpers/app';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres';
import { appOn, runAdmin } from './helpers';

function findPgRestore(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v pg_restore'], { encoding: 'utf8' });
  if (which.status === 0 && which.stdout.trim()) return which.stdout.trim();
  return ['/usr/lib/postgresql/16/bin/pg_restore', '/usr/lib/postgresql/15/bin/pg_restore'].find((p) => existsSync(p));
}

const pgRestore = findPgRestore();
const skip = postgresUnavailable() ?? (!findPgDump() || !pgRestore ? 'pg_dump/pg_restore not installed' : undefined);

describe.skipIf(!!skip)('scheduled backup on PostgreSQL (pg_dump)', { timeout: 120_000 }, () => {
  let root: string;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'cvc-pgbackup-'));
    url = await createTestDatabase('pg_backup');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes a tar of a pg_dump that pg_restore lists and restores, with the keys', async () => {
    const dataDir = join(root, 'data');
    const dir = join(root, 'backups');
    const app = await appOn(dataDir, {
      database: url,
      demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET },
      backup: { enabled: true, dir, keep: 2, time: '02:30' },
    });
    let file: string;
    try {
      const result = await app.backupScheduler!.run();
      expect(result, 'the scheduled run failed').toBeDefined();
      file = result!.file;
      expect(result!.manifest).toMatchObject({ engine: 'postgres', schema: expect.stringMatching(/^\d{3}_/) });
      expect(Object.keys(result!.manifest.files).sort()).toEqual([PG_DUMP_FILE, 'session.key', 'vault.key'].sort());
      const [audit] = await app.repos.audit.recent(5, 'backup.create');
      expect(audit).toMatchObject({ actorName: 'scheduler', targetId: file });
    } finally {
      await app.close();
    }

    const unpacked = join(root, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xzf', file, '-C', unpacked]);
    expect(readFileSync(join(unpacked, 'vault.key'))).toEqual(readFileSync(join(dataDir, 'vault.key')));
    const listing = execFileSync(pgRestore!, ['-l', join(unpacked, PG_DUMP_FILE)], { encoding: 'utf8' });
    expect(listing).toMatch(/TABLE DATA public cameras /);
    expect(listing).toMatch(/TABLE DATA public events /);
    // No password in the dump's header (the URL had none here, but the connection string is not recorded at all).
    expect(listing).not.toContain('postgres://');

    const restored = await createTestDatabase('pg_backup_restored');
    execFileSync(pgRestore!, ['--no-owner', '--exit-on-error', `--dbname=${restored}`, join(unpacked, PG_DUMP_FILE)]);
    const client = new pg.Client({ connectionString: restored });
    await client.connect();
    try {
      expect((await client.query('SELECT count(*)::int AS n FROM cameras')).rows[0].n).toBe(188);
      expect((await client.query("SELECT count(*)::int AS n FROM users WHERE username = 'admin'")).rows[0].n).toBe(1);
    } finally {
      await client.end();
    }

    // The admin CLI backs PostgreSQL up the same way when the configuration names it, and audits it there.
    const cliFile = join(root, 'by-cli.tar.gz');
    const cli = await runAdmin(dataDir, ['backup', cliFile], undefined, { CONSOLE_DATABASE: url });
    expect(cli.code, cli.stderr).toBe(0);
    expect(execFileSync('tar', ['-tzf', cliFile], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()).toEqual(['console.pgdump', 'manifest.json', 'session.key', 'vault.key']);
    const audited = new pg.Client({ connectionString: url });
    await audited.connect();
    try {
      expect((await audited.query("SELECT count(*)::int AS n FROM audit_log WHERE action = 'backup.create' AND actor_name = 'cli'")).rows[0].n).toBe(1);
    } finally {
      await audited.end();
    }

    // The data-directory restore is SQLite's; it says how a PostgreSQL backup is restored instead.
    const err = await restoreBackup(file, join(root, 'elsewhere')).catch((e: Error) => e);
    expect(err).toBeInstanceOf(RestoreRefusedError);
    expect((err as Error).message).toContain('pg_restore');
  });
});
