// The scheduled daily backup (server/backup/scheduler.ts), when backup.enabled: started once the app is ready,
// stopped (waiting for a backup in progress) on close. Each run is audited as the system.
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import { findPgDump, PgDumpMissingError } from '../backup/pg-dump';
import { BackupScheduler } from '../backup/scheduler';
import { JOBS } from './cluster';
import { isPostgresUrl } from '../db/database';

declare module 'fastify' {
  interface FastifyInstance {
    backupScheduler: BackupScheduler | undefined;
  }
}

export default fp(
  async (app) => {
    const { dataDir, backup } = app.config;
    if (!backup.enabled) {
      app.decorate('backupScheduler', undefined);
      return;
    }
    // Backups copy <dataDir>/console.sqlite online, or dump PostgreSQL with pg_dump (server/backup/). An SQLite file
    // elsewhere would be silently left out, so that is refused at boot instead, and so is PostgreSQL without pg_dump.
    const database = app.config.database;
    const postgres = isPostgresUrl(database);
    if (database && !postgres) {
      throw new Error('backup.enabled: scheduled backups cover the default SQLite database (<dataDir>/console.sqlite) or PostgreSQL; unset `database` or back that file up yourself');
    }
    if (postgres && !findPgDump()) throw new Error(`backup.enabled: ${new PgDumpMissingError().message}`);
    // Several gateway nodes on one PostgreSQL database may all have backup.enabled: only the node leading the backup
    // job dumps it when the time comes (server/db/README.md "Leadership"), and another takes over if that one dies.
    const leader = app.cluster.leadership.job(JOBS.backup);
    const dir = resolve(backup.dir || join(dataDir, 'backups'));
    const scheduler = new BackupScheduler({
      dataDir, dir, keep: backup.keep, time: backup.time, database: postgres ? database : undefined,
      shouldRun: () => leader.isLeader(),
      onBackup: async ({ file, bytes, removed }) => {
        app.log.info({ file, bytes, removed }, 'scheduled backup written');
        await app.repos.audit.record({
          actorType: 'system', actorName: 'scheduler', action: 'backup.create', targetType: 'backup', targetId: file, detail: { file, bytes, removed },
        });
      },
      onError: async (err) => {
        app.log.error({ err, dir }, 'scheduled backup failed');
        await app.repos.audit.record({
          actorType: 'system', actorName: 'scheduler', action: 'backup.failed', targetType: 'backup', detail: { dir, error: err.message },
        }).catch(() => undefined);
      },
    });
    app.decorate('backupScheduler', scheduler);
    app.addHook('onReady', async () => {
      scheduler.start();
      app.log.info({ dir, keep: backup.keep, next: scheduler.nextRun?.toISOString() }, 'daily backup scheduled');
    });
    app.addHook('onClose', () => scheduler.stop());
  },
  { name: 'backup', dependencies: ['database', 'cluster'] },
);
