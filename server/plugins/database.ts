// Opens the database (the embedded SQLite file by default, or PostgreSQL by URL), applies migrations, and exposes
// the repositories to every route.
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { Database, isPostgresUrl } from '../db/database';
import { migrate } from '../db/migrate';
import { createRepositories, type Repositories } from '../db/repositories';
import { createSecrets, type Secrets } from '../security/secrets';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
    repos: Repositories;
    secrets: Secrets;
  }
}

export default fp(
  async (app) => {
    const { dataDir, networks } = app.config;
    // Owner-only: the directory holds the database, the keys and the setup token.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const target = app.config.database || join(dataDir, 'console.sqlite');
    const db = await Database.connect(target);
    // SQLite creates the file by the umask (often 0644); its -wal and -shm take the database file's mode.
    if (!isPostgresUrl(target)) {
      try {
        chmodSync(target, 0o600);
      } catch (err) {
        app.log.warn({ err, file: target }, 'cannot make the database file owner-only');
      }
    }
    if (isPostgresUrl(target)) {
      // pg_trgm takes only letters and digits of the database's LC_CTYPE into trigrams: under C/POSIX a Chinese name
      // gives none, so every camera search scans the table (~80 ms at 100,000 cameras instead of a few).
      const ctype = (await db.get<{ ctype: string }>("SELECT current_setting('lc_ctype') AS ctype"))?.ctype ?? '';
      if (/^(C|POSIX)$/i.test(ctype)) {
        app.log.warn({ lc_ctype: ctype }, 'PostgreSQL database has LC_CTYPE C: Chinese camera search cannot use its trigram index; create the database with LC_CTYPE C.UTF-8 (server/db/README.md)');
      }
    }
    const applied = await migrate(db);
    if (applied.length) app.log.info({ applied }, 'database migrated');
    const secrets = createSecrets(dataDir, app.config.session.secret);
    const repos = createRepositories(db, secrets);
    await repos.networks.sync(networks);
    app.decorate('db', db);
    app.decorate('secrets', secrets);
    app.decorate('repos', repos);
    app.addHook('onClose', () => db.close());
  },
  { name: 'database', dependencies: ['config'] },
);
