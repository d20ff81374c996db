// Opens the embedded SQLite file, applies migrations, and exposes the repositories to every route.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { Database } from '../db/database';
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
    mkdirSync(dataDir, { recursive: true });
    const db = await Database.open(join(dataDir, 'console.sqlite'));
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
