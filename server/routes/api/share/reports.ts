// 随手拍 for residents: report a problem on one of the link's cameras (the server attaches that camera's frame), and
// list this phone's own reports with received / handled. Both carry the viewer token as `?v=` like every other
// resident request. The token is checked before the body (preValidation): a caller without a usable link learns
// nothing about the body's shape, and nothing else is reachable from here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { ResidentReport, ResidentReportCreate, ResidentReportList } from '../../../contracts/share';
import { UnauthorizedError } from '../../../errors';
import { LINK_INVALID } from '../../../share/service';
import type { Reporter } from '../../../share/reports';

const TokenQuery = Type.Object({ v: Type.String({ minLength: 10, maxLength: 300, description: 'Resident viewer token' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const reporters = new WeakMap<FastifyRequest, Reporter>();
  const authorize = async (request: FastifyRequest) => {
    const { v } = (request.query ?? {}) as { v?: unknown };
    if (typeof v !== 'string' || v.length < 10 || v.length > 300) throw new UnauthorizedError(LINK_INVALID);
    reporters.set(request, await app.share.authorizeResident(v));
  };
  // Against floods of bad tokens and scripted posting; the real per-device and per-link limits are counted in the
  // database by the service (they must hold across restarts and server instances).
  const rateLimit = {
    max: 60, timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `report:${(request.query as { v?: string }).v ?? request.ip}`,
  };

  app.post('/reports', {
    config: { auth: 'custom', rateLimit },
    preValidation: authorize,
    schema: {
      tags: ['share'], summary: '随手拍: report a problem on one of the link’s cameras; the server attaches the camera’s current frame',
      querystring: TokenQuery, body: ResidentReportCreate,
      response: { 201: ResidentReport, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody, 503: ErrorBody },
    },
  }, async (request, reply) => reply.status(201).send(await app.residentReports.report(reporters.get(request)!, request.body, request.ip)));

  app.get('/reports', {
    config: { auth: 'custom', rateLimit },
    preValidation: authorize,
    schema: {
      tags: ['share'], summary: '随手拍: this phone’s own reports through this link, each only received or handled',
      querystring: TokenQuery, response: { 200: ResidentReportList, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
    },
  }, async (request) => ({ items: await app.residentReports.own(reporters.get(request)!) }));
};

export default routes;
