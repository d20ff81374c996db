// RTSP cameras without ONVIF: probe a URL, and add a camera by URL (credentials apart, never in the URL).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../../contracts/api';
import { RtspCameraBody, RtspCameraResult, RtspProbeBody, RtspProbeResult } from '../../../contracts/catalogue';
import { probeRtsp } from '../../../discovery/rtsp-probe';
import { currentUser } from '../../../plugins/auth';

const OFFICERS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/rtsp/probe', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'], summary: 'Probe an RTSP URL: OPTIONS + DESCRIBE (Basic/Digest); codecs, resolution from the SPS, audio, or why not',
      body: RtspProbeBody, response: { 200: RtspProbeResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => probeRtsp(request.body.url, { credentials: request.body.credentials, timeoutMs: request.body.timeoutMs }));

  app.post('/rtsp/cameras', {
    config: OFFICERS,
    schema: {
      tags: ['discovery'], summary: 'Add an RTSP camera by URL after a successful probe (or with skipProbe)',
      body: RtspCameraBody, response: { 201: RtspCameraResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody },
    },
  }, async (request, reply) => reply.status(201).send(await app.cameras.addRtsp(currentUser(request), request.body, request.ip)));
};

export default routes;
