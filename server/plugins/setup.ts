// First start without users: keep a one-time setup token (server/setup/setup-token.ts) while the console has no user,
// so the setup page can create the first administrator; forget it once one exists (by the page or the CLI).
import fp from 'fastify-plugin';
import { ensureSetupToken, removeSetupToken, setupTokenPath } from '../setup/setup-token';
import type { SetupStatus } from '../contracts/setup';

declare module 'fastify' {
  interface FastifyInstance {
    setup: {
      /** The token a setup request must carry; undefined once setup is over (or was never needed). */
      token(): string | undefined;
      status(): Promise<SetupStatus>;
      /** Setup is over: drop the token here and on disk. */
      finish(): void;
    };
  }
}

export default fp(
  async (app) => {
    const { dataDir } = app.config;
    let token: string | undefined;
    if (await app.repos.users.any()) removeSetupToken(dataDir);
    else {
      token = ensureSetupToken(dataDir);
      // Where, never what: the token itself is printed once on the console by server.ts, not logged.
      app.log.warn({ file: setupTokenPath(dataDir) }, 'no users yet: create the first administrator (setup page or npm run admin -- create-admin)');
    }
    const finish = () => {
      token = undefined;
      removeSetupToken(dataDir);
    };
    app.decorate('setup', {
      token: () => token,
      async status() {
        // Users can appear behind our back (the CLI writes to the same database): ask the database, not memory.
        const needed = !(await app.repos.users.any());
        if (!needed && token) finish();
        const root = needed ? await app.repos.orgUnits.root() : undefined;
        return { needed, county: root ? { name: root.name, code: root.code } : null };
      },
      finish,
    });
  },
  { name: 'setup', dependencies: ['database', 'demo'] },
);
