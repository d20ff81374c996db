// ONVIF discovery jobs: start, watch (also pushed over socket.io), review the results, add them to the catalogue.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import {
  DiscoveryAddBody, DiscoveryAddResult, DiscoveryJob, DiscoveryJobBody, DiscoveryJobDetail, JobParams,
} from '../../../contracts/catalogue';
import { currentUser } from '../../../plugins/auth';

const OFFICERS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/jobs', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'], summary: 'Start an ONVIF discovery job (unicast to addresses/ranges, or multicast on an interface)',
      body: DiscoveryJobBody, response: { 202: DiscoveryJob, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request, reply) => reply.status(202).send(await app.discovery.start(currentUser(request), request.body, request.ip)));

  app.get('/jobs', {
    schema: { tags: ['discovery'], summary: 'Recent discovery jobs in your area, newest first', response: { 200: Type.Array(DiscoveryJob), 401: ErrorBody } },
  }, async (request) => app.discovery.list(currentUser(request).scopePath));

  app.get('/jobs/:jobId', {
    schema: { tags: ['discovery'], summary: 'A job and every device it found or failed on', params: JobParams, response: { 200: DiscoveryJobDetail, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => {
    const job = await app.discovery.visible(currentUser(request).scopePath, request.params.jobId);
    return { job, results: await app.repos.discovery.results(job.id) };
  });

  app.post('/jobs/:jobId/cancel', {
    config: OFFICERS,
    schema: { tags: ['discovery'], summary: 'Stop a running job', params: JobParams, response: { 200: DiscoveryJob, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => app.discovery.cancel(currentUser(request), request.params.jobId, request.ip));

  app.post('/jobs/:jobId/add', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'],
      summary: 'Add reviewed devices to the catalogue (network, org unit, name); a device already there is updated, not duplicated',
      params: JobParams, body: DiscoveryAddBody, response: { 200: DiscoveryAddResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request) => {
    const user = currentUser(request);
    const job = await app.discovery.visible(user.scopePath, request.params.jobId);
    return app.cameras.addDiscovered(user, job.id, request.body.items, request.ip);
  });
};

export default routes;
