// Node-to-node routes (issue #22): another gateway node of the cluster fetches the playlist and segments of a relay
// this node owns (server/cluster/relay-router.ts). No session here: the calling node has already checked the
// viewer's session or share token and scope; these routes trust only the cluster secret, compared in constant time,
// and refuse anything without it (401) before the request is even validated.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CLUSTER_SECRET_HEADER, NotOwnerError, VIEWER_KEY_HEADER } from '../../cluster/relay-router';
import { ErrorBody } from '../../contracts/api';
import { HttpError, NotFoundError, UnauthorizedError } from '../../errors';
import { DEVICE_RELAY_BASE, streamOfRelay } from '../../media';
import { SEGMENT_NAME_PATTERN } from '../../media/hls/segment-names';
import { playlistHeaders, segmentHeaders } from '../../media/http';
import { liveHttpError } from '../live/errors';

/** A camera's main (+id) or sub-stream (−id) relay; never a device replay (those stay on the node that opened them). */
const RelayParams = Type.Object({ relayId: Type.Integer({ minimum: -(DEVICE_RELAY_BASE - 1), maximum: DEVICE_RELAY_BASE - 1 }) });
const RelaySegmentParams = Type.Object({
  relayId: Type.Integer({ minimum: -(DEVICE_RELAY_BASE - 1), maximum: DEVICE_RELAY_BASE - 1 }),
  segment: Type.String({ pattern: SEGMENT_NAME_PATTERN }),
});
const BlockQuery = Type.Object({
  _HLS_msn: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 40 })),
  _HLS_part: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});

const digest = (s: string) => createHash('sha256').update(s).digest();

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const expected = digest(app.cluster.secret);
  // Hashing both sides gives equal lengths, so timingSafeEqual never throws and the length leaks nothing.
  app.addHook('onRequest', async (request) => {
    const given = request.headers[CLUSTER_SECRET_HEADER];
    if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) throw new UnauthorizedError();
  });

  app.get('/relays/:relayId/index.m3u8', {
    helmet: false,
    config: { auth: 'public' },
    schema: {
      tags: ['internal'], summary: 'Node to node: the live playlist of a relay this node owns (takes the lease if free); cluster secret only',
      params: RelayParams, querystring: BlockQuery,
      response: { 200: Type.String(), 401: ErrorBody, 409: ErrorBody, 502: ErrorBody, 503: ErrorBody },
    },
  }, async (request, reply) => {
    const { relayId } = request.params;
    const { _HLS_msn: msn, _HLS_part: part } = request.query;
    const viewer = request.headers[VIEWER_KEY_HEADER];
    try {
      const playlist = await app.relayRouter.servePlaylist(relayId, typeof viewer === 'string' ? viewer.slice(0, 200) : undefined, msn === undefined ? undefined : { msn, part });
      return reply.headers(playlistHeaders()).send(playlist);
    } catch (err) {
      if (err instanceof NotOwnerError) throw new HttpError(409, err.message);
      throw liveHttpError(err, reply, streamOfRelay(relayId).cameraId);
    }
  });

  app.get('/relays/:relayId/:segment', {
    helmet: false,
    config: { auth: 'public' },
    schema: {
      tags: ['internal'], summary: 'Node to node: a segment of a relay this node runs; cluster secret only',
      params: RelaySegmentParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { relayId, segment } = request.params;
    const found = app.relayRouter.serveSegment(relayId, segment);
    if (!found) throw new NotFoundError(`Segment ${segment}`);
    const body = Buffer.from(found.body.buffer, found.body.byteOffset, found.body.byteLength);
    return reply.headers(segmentHeaders(found.contentType, body.byteLength)).send(body);
  });
};

export default routes;
