// ONVIF discovery jobs: start, watch (also pushed over socket.io), review the results, add them to the catalogue.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import {
  DiscoveryAddBody, DiscoveryAddResult, DiscoveryJob, DiscoveryJobBody, DiscoveryJobDetail, JobParams,
} from '../../../contracts/catalogue';
import { inScope } from '../../../domain/scope';
import { BadRequestError, ConflictError, NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';

const OFFICERS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const { repos } = app;

  /** A job the user may see (started in the user's area), without its internal path; else 404. */
  async function visibleJob(scopePath: string, jobId: number) {
    const job = await repos.discovery.job(jobId).catch(() => undefined);
    if (!job || !inScope(scopePath, job.orgPath)) throw new NotFoundError(`Discovery job ${jobId}`, 'jobId');
    const { orgPath: _path, ...rest } = job;
    return rest;
  }

  app.post('/jobs', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'], summary: 'Start an ONVIF discovery job (unicast to addresses/ranges, or multicast on an interface)',
      body: DiscoveryJobBody, response: { 202: DiscoveryJob, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const job = await app.discovery.start(user, request.body);
    await repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'discovery.start', targetType: 'discovery_job', targetId: job.id,
      orgUnitId: user.orgUnitId, detail: { mode: job.mode, targets: request.body.targets ?? null, interface: request.body.interface ?? null }, ip: request.ip,
    });
    return reply.status(202).send(job);
  });

  app.get('/jobs', {
    schema: { tags: ['discovery'], summary: 'Recent discovery jobs in your area, newest first', response: { 200: Type.Array(DiscoveryJob), 401: ErrorBody } },
  }, async (request) => (await repos.discovery.jobs(currentUser(request).scopePath)).map(({ orgPath: _p, ...job }) => job));

  app.get('/jobs/:jobId', {
    schema: { tags: ['discovery'], summary: 'A job and every device it found or failed on', params: JobParams, response: { 200: DiscoveryJobDetail, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    const job = await visibleJob(currentUser(request).scopePath, request.params.jobId);
    return { job, results: await repos.discovery.results(job.id) };
  });

  app.post('/jobs/:jobId/cancel', {
    config: OFFICERS,
    schema: { tags: ['discovery'], summary: 'Stop a running job', params: JobParams, response: { 200: DiscoveryJob, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    const user = currentUser(request);
    const job = await visibleJob(user.scopePath, request.params.jobId);
    await app.discovery.cancel(request.params.jobId);
    await repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'discovery.cancel', targetType: 'discovery_job', targetId: job.id,
      orgUnitId: user.orgUnitId, detail: { state: job.state }, ip: request.ip,
    });
    return visibleJob(user.scopePath, request.params.jobId);
  });

  app.post('/jobs/:jobId/add', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'],
      summary: 'Add reviewed devices to the catalogue (network, org unit, name); a device already there is updated, not duplicated',
      params: JobParams, body: DiscoveryAddBody, response: { 200: DiscoveryAddResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const job = await visibleJob(user.scopePath, request.params.jobId);
    const networks = new Set((await repos.networks.list()).map((n) => n.key));
    // Check every item before writing any.
    const plan = [];
    for (const [i, item] of request.body.items.entries()) {
      const field = (f: string) => `items.${i}.${f}`;
      const result = await repos.discovery.result(item.resultId).catch(() => undefined);
      if (!result || result.jobId !== job.id) throw new NotFoundError(`Discovery result ${item.resultId} of job ${job.id}`, field('resultId'));
      if (result.state === 'failed' || !result.xaddr) throw new BadRequestError(`result ${item.resultId} failed (${result.failure}); it cannot be added`, field('resultId'));
      if (!networks.has(item.network)) throw new BadRequestError(`network "${item.network}" is not configured`, field('network'));
      const unit = await repos.orgUnits.byId(item.orgUnitId).catch(() => undefined);
      if (!unit || !inScope(user.scopePath, unit.path)) throw new NotFoundError(`Org unit ${item.orgUnitId}`, field('orgUnitId'));
      const existing = await repos.discovery.matchCamera([result.serial ?? '', result.endpointRef ?? ''], result.xaddr);
      const cameraId = existing && inScope(user.scopePath, existing.orgPath) ? existing.id : null;
      const externalId = item.externalId ?? (result.serial || result.endpointRef || result.xaddr).slice(0, 64);
      if (!cameraId) {
        const taken = await app.db.get('SELECT 1 FROM cameras WHERE network = ? AND external_id = ?', [item.network, externalId]);
        if (taken) throw new ConflictError(`a ${item.network} camera with externalId ${externalId} exists`, field('externalId'));
      }
      plan.push({ item, result, unit, cameraId, externalId });
    }

    const credentials = await repos.discovery.credentials(job.id);
    const added: Array<{ resultId: number; cameraId: number }> = [];
    const updated: Array<{ resultId: number; cameraId: number }> = [];
    for (const { item, result, unit, cameraId, externalId } of plan) {
      const source = {
        endpoint: result.xaddr!, streamUrl: result.streamUri, subStreamUrl: result.subStreamUri, snapshotUrl: result.snapshotUri,
        deviceId: result.serial || result.endpointRef, ptz: result.ptz,
      };
      let id = cameraId;
      if (id) {
        await repos.cameras.update(id, { name: item.name, orgUnitId: unit.id, orgPath: unit.path, publicArea: item.publicArea });
        await repos.cameras.setDeviceSource(id, source);
        if (credentials) await repos.cameras.setCredentials(id, credentials);
        updated.push({ resultId: result.id, cameraId: id });
      } else {
        id = await repos.cameras.insert({
          network: item.network, externalId, name: item.name ?? result.suggestedName, orgUnitId: unit.id, sourceKind: 'onvif',
          endpoint: result.xaddr!, streamUrl: result.streamUri, publicArea: item.publicArea, ptz: result.ptz, credentials,
        });
        await repos.cameras.setDeviceSource(id, source);
        added.push({ resultId: result.id, cameraId: id });
      }
      await repos.discovery.markAdded(result.id, id);
      const p = result.profiles[0];
      await app.cameraStatus.record(id, 'online', null, {
        codec: p?.encoding ? (p.encoding.toUpperCase() === 'H265' ? 'h265' : p.encoding.toLowerCase()) : undefined,
        width: p?.width ?? undefined, height: p?.height ?? undefined,
      });
    }
    await repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'discovery.add', targetType: 'discovery_job', targetId: job.id,
      orgUnitId: user.orgUnitId, detail: { added: added.map((a) => a.cameraId), updated: updated.map((u) => u.cameraId) }, ip: request.ip,
    });
    return { added, updated };
  });
};

export default routes;
