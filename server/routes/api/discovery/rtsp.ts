// RTSP cameras without ONVIF: probe a URL, and add a camera by URL (credentials apart, never in the URL).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorBody } from '../../../contracts/api';
import { RtspCameraBody, RtspCameraResult, RtspProbeBody, RtspProbeResult } from '../../../contracts/catalogue';
import { probeRtsp } from '../../../discovery/rtsp-probe';
import { inScope } from '../../../domain/scope';
import { BadRequestError, ConflictError, NotFoundError } from '../../../errors';
import { currentUser } from '../../../plugins/auth';

const OFFICERS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

/** A stable default external id: host and path, e.g. "10.1.2.3/Streaming/Channels/101". */
function defaultExternalId(url: string): string {
  const u = new URL(url);
  return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`.replace(/\/+$/, '').slice(0, 64);
}

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
  }, async (request, reply) => {
    const user = currentUser(request);
    const body = request.body;
    const unit = await app.repos.orgUnits.byId(body.orgUnitId).catch(() => undefined);
    if (!unit || !inScope(user.scopePath, unit.path)) throw new NotFoundError(`Org unit ${body.orgUnitId}`, 'orgUnitId');
    const networks = await app.repos.networks.list();
    if (!networks.some((n) => n.key === body.network)) throw new BadRequestError(`network "${body.network}" is not configured`, 'network');
    const parsed = new URL(body.url);
    // Credentials typed into the URL are taken out of it: they live only in camera_credentials.
    const credentials = body.credentials ?? (parsed.username ? { username: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) } : undefined);
    // The sub-stream uses the camera's credentials: a second set inside its URL could only disagree.
    if (body.subStreamUrl && new URL(body.subStreamUrl).username) {
      throw new BadRequestError('the sub-stream URL must not contain user:password@ (it uses the camera\'s credentials)', 'subStreamUrl');
    }
    const probe = body.skipProbe ? null : await probeRtsp(body.url, { credentials });
    if (probe && !probe.ok) throw new BadRequestError(`probe failed (${probe.error}): ${probe.message}`, 'url');
    const subProbe = body.skipProbe || !body.subStreamUrl ? null : await probeRtsp(body.subStreamUrl, { credentials });
    if (subProbe && !subProbe.ok) throw new BadRequestError(`sub-stream probe failed (${subProbe.error}): ${subProbe.message}`, 'subStreamUrl');
    const externalId = body.externalId ?? defaultExternalId(body.url);
    const taken = await app.db.get<{ id: number }>('SELECT id FROM cameras WHERE network = ? AND external_id = ?', [body.network, externalId]);
    if (taken) throw new ConflictError(`a ${body.network} camera with externalId ${externalId} exists`, 'externalId');
    const url = probe?.url ?? new URL(body.url).toString();
    const subStreamUrl = body.subStreamUrl ? subProbe?.url ?? new URL(body.subStreamUrl).toString() : null;
    const cameraId = await app.repos.cameras.insert({
      network: body.network, externalId, name: body.name, orgUnitId: unit.id, sourceKind: 'rtsp', endpoint: url, streamUrl: url, subStreamUrl,
      address: body.address, lat: body.lat, lng: body.lng, publicArea: body.publicArea, credentials,
    });
    if (probe?.video) {
      await app.cameraStatus.record(cameraId, 'online', null, {
        codec: probe.video.codec, width: probe.video.width ?? undefined, height: probe.video.height ?? undefined,
      });
    }
    await app.repos.audit.record({
      actorType: 'user', actorId: user.id, actorName: user.username, action: 'camera.add-rtsp', targetType: 'camera', targetId: cameraId,
      orgUnitId: unit.id, detail: { network: body.network, externalId, probed: !!probe, subStream: !!subStreamUrl }, ip: request.ip,
    });
    return reply.status(201).send({ cameraId, probe, ...(body.subStreamUrl ? { subProbe } : {}) });
  });
};

export default routes;
