// Wires the framework-free discovery jobs (server/discovery/jobs.ts) into the app.
import fp from 'fastify-plugin';
import { DiscoveryJobs } from '../discovery/jobs';

declare module 'fastify' {
  interface FastifyInstance {
    discovery: DiscoveryJobs;
  }
}

export default fp(
  async (app) => {
    const jobs = new DiscoveryJobs({ db: app.db, repos: app.repos, publisher: app.realtime, log: app.log });
    await jobs.abandonInterrupted();
    app.decorate('discovery', jobs);
    app.addHook('onClose', () => jobs.stopAll());
  },
  { name: 'discovery', dependencies: ['database', 'realtime'] },
);
