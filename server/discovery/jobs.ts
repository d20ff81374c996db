// ONVIF discovery jobs as use cases: start one (checked, persisted and audited in one transaction), run it in the
// background, persist results as they come and push progress to the owner's unit (and the units above it), cancel
// it. Framework-free: the discovery plugin hands in the database, repositories, publisher and a logger; the
// protocol work is in ./onvif. Jobs left running by a stopped process are marked failed at start.
import type { DiscoveryJob, DiscoveryJobBody } from '../contracts/catalogue';
import type { EventPayload } from '../contracts/events';
import { atomically, type Publisher } from '../db/atomically';
import type { Database } from '../db/database';
import type { Repositories } from '../db/repositories';
import { withoutCredentials } from '../db/repositories/cameras';
import type { UserWithScope } from '../db/repositories/users';
import { inScope } from '../domain/scope';
import { BadRequestError, NotFoundError } from '../errors';
import { type FoundDevice, interfaceExists, runDiscovery } from './onvif/discover';
import { scopeValue } from './ws-discovery/messages';
import { expandTargets, TargetError } from './ws-discovery/targets';

const PROGRESS_EVERY_MS = 300;

export interface DiscoveryJobDeps {
  db: Database;
  repos: Repositories;
  publisher: Publisher;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

type Caller = Pick<UserWithScope, 'id' | 'username' | 'orgUnitId' | 'scopePath'>;
type Counts = { probed: number; total: number; found: number; failed: number };

function suggestedName(d: FoundDevice): string {
  const named = scopeValue(d.match.scopes, 'name');
  if (named) return named.slice(0, 100);
  const what = [d.facts?.manufacturer, d.facts?.model].filter(Boolean).join(' ');
  return `${what || 'ONVIF camera'} ${d.address}`.slice(0, 100);
}

export class DiscoveryJobs {
  private readonly running = new Map<number, { controller: AbortController; done: Promise<void> }>();

  constructor(private readonly deps: DiscoveryJobDeps) {}

  private get repos() {
    return this.deps.repos;
  }

  /** Marks jobs a stopped process left running as failed: nothing will ever finish them. */
  abandonInterrupted(): Promise<void> {
    return this.repos.discovery.abandonRunning();
  }

  /** A job the caller may see (started in the caller's area), without its internal path; else 404. */
  async visible(scopePath: string, jobId: number): Promise<DiscoveryJob> {
    const job = await this.repos.discovery.job(jobId);
    if (!job || !inScope(scopePath, job.orgPath)) throw new NotFoundError(`Discovery job ${jobId}`, 'jobId');
    const { orgPath: _path, ...rest } = job;
    return rest;
  }

  async list(scopePath: string): Promise<DiscoveryJob[]> {
    return (await this.repos.discovery.jobs(scopePath)).map(({ orgPath: _p, ...job }) => job);
  }

  async start(caller: Caller, request: DiscoveryJobBody, ip: string): Promise<DiscoveryJob> {
    let body = request;
    if (body.credentialRef !== undefined) {
      if (body.credentials) throw new BadRequestError('give credentials or credentialRef, not both', 'credentialRef');
      const credentials = await this.repos.catalogue.profileCredentials(body.credentialRef);
      if (!credentials) throw new BadRequestError(`credential profile "${body.credentialRef}" does not exist`, 'credentialRef');
      // The job keeps its own encrypted copy, as with typed credentials: adding its devices later uses it.
      body = { ...body, credentials };
    }
    const mode = body.mode ?? 'unicast';
    const hosts = this.checkTargets(body);
    const timeoutMs = body.timeoutMs ?? 3000;
    const concurrency = body.concurrency ?? 16;
    const jobId = await atomically(this.deps.db, this.deps.publisher, async (tx) => {
      const id = await this.repos.discovery.createJob({
        mode, params: { targets: body.targets ?? null, interface: body.interface ?? null, timeoutMs, concurrency },
        credentials: body.credentials, ownerId: caller.id, ownerName: caller.username, orgUnitId: caller.orgUnitId, orgPath: caller.scopePath,
      }, tx);
      await this.repos.discovery.progress(id, { probed: 0, total: hosts?.length ?? 0, found: 0, failed: 0 }, tx);
      await this.repos.audit.record({
        actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'discovery.start', targetType: 'discovery_job', targetId: id,
        orgUnitId: caller.orgUnitId, detail: { mode, targets: request.targets ?? null, interface: request.interface ?? null }, ip,
      }, tx);
      return id;
    });
    const controller = new AbortController();
    const done = this.execute(jobId, caller, body, hosts, controller.signal)
      .catch((err) => this.deps.log.error({ err, jobId }, 'discovery job crashed'))
      .finally(() => this.running.delete(jobId));
    this.running.set(jobId, { controller, done });
    return this.visible(caller.scopePath, jobId);
  }

  /** Unicast: the hosts the targets expand to; multicast: the interface must exist. Errors name the field. */
  private checkTargets(body: DiscoveryJobBody): string[] | undefined {
    if ((body.mode ?? 'unicast') === 'unicast') {
      if (!body.targets?.length) throw new BadRequestError('targets is required for a unicast job', 'targets');
      try {
        return expandTargets(body.targets);
      } catch (err) {
        if (err instanceof TargetError) throw new BadRequestError(`targets: ${err.message}`, 'targets');
        throw err;
      }
    }
    if (!body.interface) throw new BadRequestError('interface is required for a multicast job', 'interface');
    if (!interfaceExists(body.interface)) throw new BadRequestError(`interface ${body.interface} does not exist or has no IPv4 address`, 'interface');
    return undefined;
  }

  /** Stops a running job the caller may see, waits for it, audits it; returns the job as it ended. */
  async cancel(caller: Caller, jobId: number, ip: string): Promise<DiscoveryJob> {
    const job = await this.visible(caller.scopePath, jobId);
    const run = this.running.get(jobId);
    if (!run) throw new NotFoundError(`Running discovery job ${jobId}`, 'jobId');
    run.controller.abort();
    await run.done;
    await this.repos.audit.record({
      actorType: 'user', actorId: caller.id, actorName: caller.username, action: 'discovery.cancel', targetType: 'discovery_job', targetId: jobId,
      orgUnitId: caller.orgUnitId, detail: { state: job.state }, ip,
    });
    return this.visible(caller.scopePath, jobId);
  }

  /** Resolves when the job has stopped (tests and shutdown). */
  async settled(jobId: number): Promise<void> {
    await this.running.get(jobId)?.done;
  }

  /** Aborts every running job and waits for them (shutdown). */
  async stopAll(): Promise<void> {
    for (const run of this.running.values()) run.controller.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  /** Logs and pushes one event on its own: progress and results are not part of any other write. */
  private publish<E extends 'discovery:progress' | 'discovery:result'>(orgPath: string, event: E, payload: Omit<EventPayload<E>, 'seq'>) {
    return atomically(this.deps.db, this.deps.publisher, (tx, publish) => publish(orgPath, event, payload));
  }

  private async execute(jobId: number, caller: Caller, body: DiscoveryJobBody, hosts: string[] | undefined, signal: AbortSignal): Promise<void> {
    const counts: Counts = { probed: 0, total: hosts?.length ?? 0, found: 0, failed: 0 };
    const base = { jobId, orgUnitId: caller.orgUnitId };
    let dirty = false;
    const flush = async (state: DiscoveryJob['state'] = 'running') => {
      dirty = false;
      await this.repos.discovery.progress(jobId, counts);
      await this.publish(caller.scopePath, 'discovery:progress', { ...base, state, ...counts });
    };
    // Progress is pushed a few times a second at most, however many hosts a second are probed.
    const ticker = setInterval(() => {
      if (dirty) flush().catch((err) => this.deps.log.warn({ err, jobId }, 'discovery progress not recorded'));
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
        onDevice: async (d) => {
          const result = await this.recordDevice(jobId, caller, d);
          if (d.failure) counts.failed++;
          else counts.found++;
          dirty = true;
          await this.publish(caller.scopePath, 'discovery:result', { ...base, result });
        },
      });
      if (signal.aborted) state = 'cancelled';
    } catch (err) {
      state = signal.aborted ? 'cancelled' : 'failed';
      error = (err as Error).message.slice(0, 300);
      this.deps.log.warn({ err, jobId }, 'discovery job failed');
    } finally {
      clearInterval(ticker);
    }
    await this.repos.discovery.finish(jobId, state, error);
    await flush(state);
  }

  private async recordDevice(jobId: number, caller: Caller, d: FoundDevice) {
    const existing = await this.repos.discovery.matchCamera([d.facts?.serial ?? '', d.match.endpointRef], d.xaddr || null);
    return this.repos.discovery.addResult({
      jobId, address: d.address, endpointRef: d.match.endpointRef, xaddr: d.xaddr || null,
      failure: d.failure?.kind ?? null, message: d.failure?.message ?? null,
      manufacturer: d.facts?.manufacturer ?? null, model: d.facts?.model ?? null, firmware: d.facts?.firmware ?? null,
      serial: d.facts?.serial ?? null, profiles: d.facts?.profiles ?? [],
      streamUri: d.facts?.streamUri ? withoutCredentials(d.facts.streamUri) : null,
      subStreamUri: d.facts?.subStreamUri ? withoutCredentials(d.facts.subStreamUri) : null,
      snapshotUri: d.facts?.snapshotUri ? withoutCredentials(d.facts.snapshotUri) : null,
      ptz: d.facts?.ptz ?? false,
      // A camera outside the owner's area stays unknown to the owner.
      cameraId: existing && inScope(caller.scopePath, existing.orgPath) ? existing.id : null,
      suggestedName: suggestedName(d),
    });
  }
}
