// WHEP (WebRTC-HTTP Egress Protocol, RFC 9725) for the low-latency tile: POST an SDP offer, get 201 with the SDP
// answer and a Location to DELETE when done. Same checks as live HLS: a staff session whose scope holds the camera
// (404 otherwise); residents have no low-latency path. The relay is started (or joined) exactly as a playlist
// request would, then the session is fed from its access units: the camera is still pulled once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, LiveParams } from '../../../contracts/api';
import { HttpError, NotFoundError } from '../../../errors';
import { CameraUnavailableError, RelayLimitError } from '../../../media';
import { LowLatencyCodecError, LowLatencyLimitError } from '../../../media/webrtc/low-latency';
import { currentUser } from '../../../plugins/auth';

const STAFF = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const, 'village_officer' as const] };
const MAX_SDP = 64 * 1024;
const StreamQuery = Type.Object({ stream: Type.Optional(Type.Union([Type.Literal('main'), Type.Literal('sub')], { description: 'Which stream (default main)' })) });
const SessionParams = Type.Object({ sessionId: Type.String({ format: 'uuid' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  // SDP arrives as text; only these routes (this plugin's scope) accept it.
  app.addContentTypeParser('application/sdp', { parseAs: 'string', bodyLimit: MAX_SDP }, (_req, body, done) => done(null, body));

  app.post('/:cameraId/whep', {
    config: STAFF,
    schema: {
      tags: ['live'], summary: 'Low-latency viewing (WebRTC, WHEP): SDP offer in, 201 with the SDP answer; H.264 only, capped',
      params: LiveParams, querystring: StreamQuery,
      body: Type.String({ minLength: 10, maxLength: MAX_SDP, description: 'SDP offer (application/sdp)' }),
      response: { 201: Type.String({ description: 'SDP answer (application/sdp)' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 415: ErrorBody, 422: ErrorBody, 502: ErrorBody, 503: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const { cameraId } = request.params;
    if (!request.body.startsWith('v=0')) throw new HttpError(400, 'body must be an SDP offer');
    const camera = await app.cameras.visible(user.scopePath, cameraId);
    const stream = request.query.stream === 'sub' && camera.hasSubStream ? 'sub' : 'main';
    const session = request.session!;
    const viewerKey = `u${user.id}:${session.tokenHash.slice(0, 12)}`;
    if (app.lowLatency.size >= app.lowLatency.limit) {
      reply.header('retry-after', '10');
      throw new HttpError(503, `Too many low-latency sessions at once (limit ${app.lowLatency.limit}); stay on HLS`);
    }
    try {
      // Starts the relay or joins it, and waits until it plays: the codec is known then.
      await app.relays.playlist(cameraId, viewerKey, stream);
      const { id, answer } = await app.lowLatency.open(cameraId, stream, request.body, viewerKey);
      await app.repos.audit.record({
        actorType: 'user', actorId: user.id, actorName: user.username, action: 'live.view', targetType: 'camera', targetId: cameraId,
        orgUnitId: Number(camera.orgPath.split('/').filter(Boolean).pop()) || null, ip: request.ip, detail: { stream, transport: 'webrtc' },
      });
      return reply.status(201).headers({ 'content-type': 'application/sdp', location: `/api/live/whep/${id}` }).send(answer);
    } catch (err) {
      if (err instanceof LowLatencyLimitError || err instanceof RelayLimitError) {
        reply.header('retry-after', '10');
        throw new HttpError(503, err instanceof LowLatencyLimitError
          ? `Too many low-latency sessions at once (limit ${err.limit}); stay on HLS`
          : `Too many live streams at once (limit ${err.limit}); try again shortly`);
      }
      if (err instanceof LowLatencyCodecError) throw new HttpError(422, err.message);
      if (err instanceof CameraUnavailableError) throw new HttpError(502, `Camera ${cameraId} unavailable: ${err.reason}`);
      throw err;
    }
  });

  app.delete('/whep/:sessionId', {
    config: STAFF,
    schema: { tags: ['live'], summary: 'End a low-latency session (WHEP)', params: SessionParams, response: { 200: Type.Null(), 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request, reply) => {
    const user = currentUser(request);
    const owner = `u${user.id}:${request.session!.tokenHash.slice(0, 12)}`;
    if (!(await app.lowLatency.close(request.params.sessionId, owner))) throw new NotFoundError(`Session ${request.params.sessionId}`);
    return reply.status(200).send(null);
  });
};

export default routes;
