// Live HLS per camera: /live/:cameraId/index.m3u8 and its segments. The relay starts on the first playlist
// request and stops when nobody polls it. Access: a session whose scope holds the camera (share tokens follow
// with resident links). Playlists are polled every second or two, so a "view" is audited once per viewer until
// that viewer has been away for the idle timeout.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody, LiveParams, SegmentParams } from '../../contracts/api';
import { inScope } from '../../domain/scope';
import { HttpError, NotFoundError, UnauthorizedError } from '../../errors';
import { CameraUnavailableError, RelayLimitError } from '../../media';

const PLAYLIST_TYPE = 'application/vnd.apple.mpegurl';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const orgPathCache = new Map<number, string>();
  const lastViewAudit = new Map<string, number>();
  const auditWindowMs = app.config.media.idleTimeoutSec * 1000;

  async function authorize(request: FastifyRequest, cameraId: number) {
    const session = request.session;
    if (!session) throw new UnauthorizedError();
    let orgPath = orgPathCache.get(cameraId);
    if (orgPath === undefined) {
      orgPath = (await app.repos.cameras.byId(cameraId).catch(() => undefined))?.orgPath;
      if (orgPath !== undefined) orgPathCache.set(cameraId, orgPath);
    }
    if (orgPath === undefined || !inScope(session.user.scopePath, orgPath)) throw new NotFoundError(`Camera ${cameraId}`);
    return session;
  }

  app.get('/:cameraId/index.m3u8', {
    config: { auth: 'custom' },
    schema: {
      tags: ['live'], summary: 'Live HLS playlist (starts the relay on demand)', params: LiveParams,
      response: { 200: Type.String({ description: 'M3U8 live playlist' }), 401: ErrorBody, 404: ErrorBody, 502: ErrorBody, 503: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId } = request.params;
    const session = await authorize(request, cameraId);
    const viewer = `u${session.user.id}:${session.tokenHash.slice(0, 12)}`;
    let playlist: string;
    try {
      playlist = await app.relays.playlist(cameraId, viewer);
    } catch (err) {
      if (err instanceof RelayLimitError) {
        reply.header('retry-after', '10');
        throw new HttpError(503, `Too many live streams at once (limit ${err.limit}); try again shortly`);
      }
      if (err instanceof CameraUnavailableError) throw new HttpError(502, `Camera ${cameraId} unavailable: ${err.reason}`);
      throw err;
    }
    const key = `${viewer}:${cameraId}`;
    const now = Date.now();
    if (now - (lastViewAudit.get(key) ?? 0) > auditWindowMs) {
      await app.repos.audit.record({
        actorType: 'user', actorId: session.user.id, actorName: session.user.username, action: 'live.view',
        targetType: 'camera', targetId: cameraId, ip: request.ip,
      });
    }
    lastViewAudit.set(key, now);
    return reply.type(PLAYLIST_TYPE).header('cache-control', 'no-cache, no-store').send(playlist);
  });

  app.get('/:cameraId/:segment', {
    config: { auth: 'custom' },
    schema: {
      tags: ['live'], summary: 'A live segment from the current window', params: SegmentParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId, segment } = request.params;
    await authorize(request, cameraId);
    const found = app.relays.segment(cameraId, segment);
    if (!found) throw new NotFoundError(`Segment ${segment}`);
    return reply.type(found.contentType).header('cache-control', 'private, max-age=60').send(Buffer.from(found.body.buffer, found.body.byteOffset, found.body.byteLength));
  });

  // Forget audit marks of viewers long gone, so the map stays as small as the current audience.
  const sweep = setInterval(() => {
    const cutoff = Date.now() - auditWindowMs;
    for (const [key, at] of lastViewAudit) if (at < cutoff) lastViewAudit.delete(key);
  }, auditWindowMs).unref();
  app.addHook('onClose', async () => clearInterval(sweep));
};

export default routes;
