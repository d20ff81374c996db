// The scheduled daily backup (server/backup/scheduler.ts), when backup.enabled: started once the app is ready,
// stopped (waiting for a backup in progress) on close. Each run is audited as the system.
import { join, resolve } from 'node:path';
import fp from 'fastify-plugin';
import { BackupScheduler } from '../backup/scheduler';

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
    // Backups copy <dataDir>/console.sqlite online (server/backup/); a database elsewhere (another SQLite path or
    // PostgreSQL, whose backup is pg_dump's job) would be silently left out, so that is refused at boot instead.
    if (app.config.database) {
      throw new Error('backup.enabled: scheduled backups cover only the default database (<dataDir>/console.sqlite); unset `database` or back PostgreSQL up with pg_dump');
    }
    const dir = resolve(backup.dir || join(dataDir, 'backups'));
    const scheduler = new BackupScheduler({
      dataDir, dir, keep: backup.keep, time: backup.time,
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
  { name: 'backup', dependencies: ['database'] },
);
