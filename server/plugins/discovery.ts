// ONVIF discovery jobs: started from the API, run in the background, persisted as they go, and pushed over
// socket.io to the owner's unit (and the units above it). The protocol work is in server/discovery/onvif.
import fp from 'fastify-plugin';
import type { DiscoveryJob, DiscoveryJobBody } from '../contracts/catalogue';
import { withoutCredentials } from '../db/repositories/cameras';
import type { UserWithScope } from '../db/repositories/users';
import { type FoundDevice, interfaceExists, runDiscovery } from '../discovery/onvif/discover';
import { scopeValue } from '../discovery/ws-discovery/messages';
import { expandTargets, TargetError } from '../discovery/ws-discovery/targets';
import { inScope } from '../domain/scope';
import { BadRequestError, NotFoundError } from '../errors';

const PROGRESS_EVERY_MS = 300;

export interface DiscoveryJobs {
  start(user: UserWithScope, body: DiscoveryJobBody): Promise<DiscoveryJob>;
  cancel(jobId: number): Promise<void>;
  /** Resolves when the job has stopped (tests and shutdown). */
  settled(jobId: number): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    discovery: DiscoveryJobs;
  }
}

function suggestedName(d: FoundDevice): string {
  const named = scopeValue(d.match.scopes, 'name');
  if (named) return named.slice(0, 100);
  const what = [d.facts?.manufacturer, d.facts?.model].filter(Boolean).join(' ');
  return `${what || 'ONVIF camera'} ${d.address}`.slice(0, 100);
}

export default fp(
  async (app) => {
    const { repos } = app;
    const running = new Map<number, { controller: AbortController; done: Promise<void> }>();
    await repos.discovery.abandonRunning();

    async function execute(jobId: number, user: UserWithScope, body: DiscoveryJobBody, hosts: string[] | undefined, signal: AbortSignal) {
      const counts = { probed: 0, total: hosts?.length ?? 0, found: 0, failed: 0 };
      const base = { jobId, orgUnitId: user.orgUnitId };
      let dirty = false;
      const flush = async (state: DiscoveryJob['state'] = 'running') => {
        dirty = false;
        await repos.discovery.progress(jobId, counts);
        await app.realtime.publish(user.scopePath, 'discovery:progress', { ...base, state, ...counts });
      };
      // Progress is pushed a few times a second at most, however many hosts a second are probed.
      const ticker = setInterval(() => {
        if (dirty) flush().catch((err) => app.log.warn({ err, jobId }, 'discovery progress not recorded'));
      }, PROGRESS_EVERY_MS);
      let state: 'done' | 'failed' | 'cancelled' = 'done';
      let error: string | null = null;
      try {
        await runDiscovery({
          mode: body.mode ?? 'unicast', hosts, iface: body.interface, credentials: body.credentials,
          timeoutMs: body.timeoutMs ?? 3000, concurrency: body.concurrency ?? 16, signal,
          onProgress(probed, total) {
            counts.probed = probed;
            counts.total = total;
            dirty = true;
          },
          async onDevice(d) {
            const ids = [d.facts?.serial ?? '', d.match.endpointRef];
            const existing = await repos.discovery.matchCamera(ids, d.xaddr || null);
            const result = await repos.discovery.addResult({
              jobId, address: d.address, endpointRef: d.match.endpointRef, xaddr: d.xaddr || null,
              failure: d.failure?.kind ?? null, message: d.failure?.message ?? null,
              manufacturer: d.facts?.manufacturer ?? null, model: d.facts?.model ?? null, firmware: d.facts?.firmware ?? null,
              serial: d.facts?.serial ?? null, profiles: d.facts?.profiles ?? [],
              streamUri: d.facts?.streamUri ? withoutCredentials(d.facts.streamUri) : null,
              subStreamUri: d.facts?.subStreamUri ? withoutCredentials(d.facts.subStreamUri) : null,
              snapshotUri: d.facts?.snapshotUri ? withoutCredentials(d.facts.snapshotUri) : null,
              ptz: d.facts?.ptz ?? false,
              // A camera outside the owner's area stays unknown to the owner.
              cameraId: existing && inScope(user.scopePath, existing.orgPath) ? existing.id : null,
              suggestedName: suggestedName(d),
            });
            if (d.failure) counts.failed++;
            else counts.found++;
            dirty = true;
            await app.realtime.publish(user.scopePath, 'discovery:result', { ...base, result });
          },
        });
        if (signal.aborted) state = 'cancelled';
      } catch (err) {
        state = signal.aborted ? 'cancelled' : 'failed';
        error = (err as Error).message.slice(0, 300);
        app.log.warn({ err, jobId }, 'discovery job failed');
      } finally {
        clearInterval(ticker);
      }
      await repos.discovery.finish(jobId, state, error);
      await flush(state);
    }

    const jobs: DiscoveryJobs = {
      async start(user, request) {
        let body = request;
        if (body.credentialRef !== undefined) {
          if (body.credentials) throw new BadRequestError('give credentials or credentialRef, not both', 'credentialRef');
          const credentials = await repos.catalogue.profileCredentials(body.credentialRef);
          if (!credentials) throw new BadRequestError(`credential profile "${body.credentialRef}" does not exist`, 'credentialRef');
          // The job keeps its own encrypted copy, as with typed credentials: adding its devices later uses it.
          body = { ...body, credentials };
        }
        const mode = body.mode ?? 'unicast';
        let hosts: string[] | undefined;
        if (mode === 'unicast') {
          if (!body.targets?.length) throw new BadRequestError('targets is required for a unicast job', 'targets');
          try {
            hosts = expandTargets(body.targets);
          } catch (err) {
            if (err instanceof TargetError) throw new BadRequestError(`targets: ${err.message}`, 'targets');
            throw err;
          }
        } else if (!body.interface) {
          throw new BadRequestError('interface is required for a multicast job', 'interface');
        } else if (!interfaceExists(body.interface)) {
          throw new BadRequestError(`interface ${body.interface} does not exist or has no IPv4 address`, 'interface');
        }
        const jobId = await repos.discovery.createJob({
          mode, params: { targets: body.targets ?? null, interface: body.interface ?? null, timeoutMs: body.timeoutMs ?? 3000, concurrency: body.concurrency ?? 16 },
          credentials: body.credentials, ownerId: user.id, ownerName: user.username, orgUnitId: user.orgUnitId, orgPath: user.scopePath,
        });
        await repos.discovery.progress(jobId, { probed: 0, total: hosts?.length ?? 0, found: 0, failed: 0 });
        const controller = new AbortController();
        const done = execute(jobId, user, body, hosts, controller.signal)
          .catch((err) => app.log.error({ err, jobId }, 'discovery job crashed'))
          .finally(() => running.delete(jobId));
        running.set(jobId, { controller, done });
        const { orgPath: _path, ...job } = await repos.discovery.job(jobId);
        return job;
      },
      async cancel(jobId) {
        const run = running.get(jobId);
        if (!run) throw new NotFoundError(`Running discovery job ${jobId}`, 'jobId');
        run.controller.abort();
        await run.done;
      },
      async settled(jobId) {
        await running.get(jobId)?.done;
      },
    };
    app.decorate('discovery', jobs);
    app.addHook('onClose', async () => {
      for (const run of running.values()) run.controller.abort();
      await Promise.all([...running.values()].map((r) => r.done));
    });
  },
  { name: 'discovery', dependencies: ['database', 'realtime', 'health'] },
);
