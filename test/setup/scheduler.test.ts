// The daily backup: when it runs (China time, whatever the server's zone), what it names its files, that it keeps
// the newest N and nothing else of the directory is touched, and that the gateway audits each scheduled run.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupFileName, BackupScheduler, nextRunAt, pruneBackups } from '../../server/backup/scheduler';
import { JOBS } from '../../server/plugins/cluster';
import { buildTestApp, sqliteFileOnly, TEST_DB, type TestApp } from '../helpers/app';

describe('when the daily backup runs', () => {
  it('is the next HH:MM on the China clock (UTC+8)', () => {
    // 02:00 in Beijing on 25 Nov is 18:00 UTC on 24 Nov: 02:30 is half an hour away.
    expect(nextRunAt(new Date('2026-11-24T18:00:00Z'), '02:30').toISOString()).toBe('2026-11-24T18:30:00.000Z');
    // Exactly at the time, or after it: tomorrow.
    expect(nextRunAt(new Date('2026-11-24T18:30:00Z'), '02:30').toISOString()).toBe('2026-11-25T18:30:00.000Z');
    expect(nextRunAt(new Date('2026-11-24T19:00:00Z'), '02:30').toISOString()).toBe('2026-11-25T18:30:00.000Z');
    // 08:00 in Beijing: 02:30 has passed today there, although it is still 24 Nov 00:00 in UTC.
    expect(nextRunAt(new Date('2026-11-24T00:00:00Z'), '02:30').toISOString()).toBe('2026-11-24T18:30:00.000Z');
    expect(nextRunAt(new Date('2026-12-31T15:59:00Z'), '00:00').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('names files by China time, so that names sort in the order they were made', () => {
    expect(backupFileName(new Date('2026-11-24T18:30:05Z'))).toBe('console-backup-20261125-023005.tar.gz');
  });
});

// Scheduled backups copy the SQLite file; on PostgreSQL they are pg_dump's (test/setup/backup-postgres.test.ts), made
// by the node that leads the backup job when several gateways share the database.
describe.runIf(TEST_DB === 'postgres')('on PostgreSQL', () => {
  it('schedules the dump on the node leading the backup job', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvc-sched-'));
    const t = await buildTestApp({ backup: { enabled: true, dir, keep: 3, time: '02:30' } });
    try {
      expect(t.app.backupScheduler?.nextRun).toBeInstanceOf(Date);
      expect(t.app.cluster.leadership.job(JOBS.backup).isLeader()).toBe(true);
    } finally {
      await t.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(sqliteFileOnly('scheduled backups of the SQLite file'))('keeping the newest N', () => {
  let t: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cvc-sched-'));
    t = await buildTestApp({ backup: { enabled: true, dir, keep: 3, time: '02:30' } });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prunes only its own files', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'cvc-prune-'));
    try {
      const names = ['console-backup-20261101-023000.tar.gz', 'console-backup-20261102-023000.tar.gz', 'console-backup-20261103-023000.tar.gz', 'notes.txt', 'console-backup-manual.tar.gz'];
      for (const n of names) writeFileSync(join(scratch, n), 'x');
      expect(pruneBackups(scratch, 1)).toEqual(['console-backup-20261102-023000.tar.gz', 'console-backup-20261101-023000.tar.gz']);
      expect(readdirSync(scratch).sort()).toEqual(['console-backup-20261103-023000.tar.gz', 'console-backup-manual.tar.gz', 'notes.txt']);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('skips its time on a node that does not lead the backup job, and runs where it does', async () => {
    // 02:29:59.990 China time, always: the timer is due in 10 ms, and again 10 ms after each turn.
    const clock = new Date('2026-11-20T18:29:59.990Z');
    const scratch = mkdtempSync(join(tmpdir(), 'cvc-lead-'));
    let leads = false;
    let asked = 0;
    const made: string[] = [];
    const scheduler = new BackupScheduler({
      dataDir: t.dataDir, dir: scratch, keep: 1, time: '02:30', now: () => clock,
      shouldRun: () => { asked++; return leads; }, onBackup: (r) => void made.push(r.file),
    });
    try {
      scheduler.start();
      await expect.poll(() => asked, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(3);
      expect(made).toEqual([]);
      expect(readdirSync(scratch)).toEqual([]);
      leads = true;
      await expect.poll(() => made.length, { timeout: 10_000, interval: 5 }).toBeGreaterThanOrEqual(1);
    } finally {
      await scheduler.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it('runs day after day and keeps the three newest', async () => {
    writeFileSync(join(dir, 'operator-notes.txt'), 'keep me');
    let day = Date.parse('2026-11-20T18:30:00Z');
    const scheduler = new BackupScheduler({ dataDir: t.dataDir, dir, keep: 3, time: '02:30', now: () => new Date((day += 86_400_000)) });
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const result = await scheduler.run();
      expect(result, `run ${i}`).toBeDefined();
      made.push(result!.file.split('/').pop()!);
    }
    expect(made[0]).toBe('console-backup-20261122-023000.tar.gz');
    expect(readdirSync(dir).sort()).toEqual([...made.slice(2), 'operator-notes.txt'].sort());
  });

  it('is scheduled by the gateway when enabled, and each run is audited as the system', async () => {
    const scheduler = t.app.backupScheduler!;
    expect(scheduler.nextRun!.getTime()).toBe(nextRunAt(new Date(), '02:30').getTime());
    const result = await scheduler.run();
    expect(result).toBeDefined();
    const [row] = await t.app.repos.audit.recent(5, 'backup.create');
    expect(row).toMatchObject({ actorType: 'system', actorName: 'scheduler', targetType: 'backup', targetId: result!.file });
    expect(JSON.parse(row!.detail!)).toMatchObject({ file: result!.file, bytes: result!.bytes });
    // Keep 3: the scheduled runs above and this one share the directory.
    expect(readdirSync(dir).filter((n) => n.startsWith('console-backup-'))).toHaveLength(3);
  });

  it('audits a failed run, and the next one still runs', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the backup directory should be');
    const broken = await buildTestApp({ backup: { enabled: true, dir: join(blocked, 'sub'), keep: 1, time: '02:30' } });
    try {
      expect(await broken.app.backupScheduler!.run()).toBeUndefined();
      const [row] = await broken.app.repos.audit.recent(5, 'backup.failed');
      expect(row).toMatchObject({ actorType: 'system', actorName: 'scheduler', targetType: 'backup' });
      expect(JSON.parse(row!.detail!).error).toContain('ENOTDIR');
      rmSync(blocked);
      mkdirSync(blocked);
      expect(await broken.app.backupScheduler!.run()).toBeDefined();
      expect(await broken.app.repos.audit.recent(5, 'backup.create')).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  it('is off by default', async () => {
    const off = await buildTestApp();
    try {
      expect(off.app.backupScheduler).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});

