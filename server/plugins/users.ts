// Wires the framework-free user services into the app: administrators' user management (service.ts, import.ts),
// the user's own account (account.ts) and the sign-in check with its lockout (login.ts). The realtime plugin is
// what ends live connections when a user's sessions end.
import fp from 'fastify-plugin';
import { AccountService } from '../users/account';
import { UserImporter } from '../users/import';
import { LoginService } from '../users/login';
import { SharedPhantomLockout } from '../users/lockout-shared';
import { UserService } from '../users/service';

declare module 'fastify' {
  interface FastifyInstance {
    users: UserService;
    userImport: UserImporter;
    account: AccountService;
    logins: LoginService;
  }
}

export default fp(
  async (app) => {
    const deps = { db: app.db, repos: app.repos, sockets: app.realtime };
    app.decorate('users', new UserService(deps));
    app.decorate('userImport', new UserImporter(deps));
    app.decorate('account', new AccountService(deps));
    // Several nodes on one PostgreSQL: names without an account lock after the same failures cluster-wide as
    // real accounts do (server/db/README.md "Invalidation").
    let phantoms: SharedPhantomLockout | undefined;
    if (app.db.dialect === 'postgres') {
      await SharedPhantomLockout.setup(app.db);
      phantoms = new SharedPhantomLockout(app.db);
    }
    app.decorate('logins', new LoginService({ repos: app.repos, phantoms }));
  },
  { name: 'users', dependencies: ['database', 'realtime'] },
);
