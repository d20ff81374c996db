// Residents' rewind (回看), only where their link allows it (share_links.rewind_minutes > 0, off by default):
// GET /api/share/cameras/:cameraId/rewind/index.m3u8?v&from&to — a VOD playlist of the camera's recent past clipped
// to the link's window (never before the link was made or today's daily window opened); its segments at
// /api/share/cameras/:cameraId/rewind/f<id>.ts?v, each answered only for the exact byte range that playlist lists.
// The viewer checks are live's (401 unknown/expired/revoked link, 404 camera outside it); 403 when the link allows no
// rewind. Each playlist is audited (playback.open by the link).
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { PlaybackFileParams, PlaybackParams } from '../../../contracts/recordings';
import { OptionalViewerQuery, ResidentRewindQuery } from '../../../contracts/share';
import { BadRequestError, HttpError, UnauthorizedError } from '../../../errors';
import { CONTENT_TYPES } from '../../../media/hls/packager';
import { LINK_INVALID } from '../../../share/service';
import { parseByteRange, sendStoredFile } from '../../playback/stored-file';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  // Per viewer token and camera, as live: a player asks for one segment at a time.
  const rateLimit = {
    max: 600,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `${(request.query as { v?: string }).v ?? request.ip}:${(request.params as { cameraId?: string }).cameraId}`,
  };

  app.get('/cameras/:cameraId/rewind/index.m3u8', {
    helmet: false,
    config: { auth: 'custom', rateLimit },
    schema: {
      tags: ['share'], summary: 'A resident\'s rewind of a camera of their link, where the link allows it (VOD HLS, audited)',
      params: PlaybackParams, querystring: ResidentRewindQuery,
      response: { 200: Type.String({ description: 'M3U8 VOD playlist, every URI with the viewer token' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId } = request.params;
    const { v, from, to } = request.query;
    if (!v) throw new UnauthorizedError(LINK_INVALID);
    const grant = await app.share.authorizeRewind(v, cameraId);
    if (!from) throw new BadRequestError('is required', 'from');
    if (!to) throw new BadRequestError('is required', 'to');
    const text = await app.recordings.service.residentPlaylist(grant, cameraId, { from, to }, request.ip);
    return reply.headers({ 'content-type': CONTENT_TYPES['.m3u8']!, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' }).send(text);
  });

  app.get('/cameras/:cameraId/rewind/:file', {
    helmet: false,
    config: { auth: 'custom', rateLimit },
    schema: {
      tags: ['share'], summary: 'One segment of a resident\'s rewind playlist: exactly the byte range the playlist lists (206)',
      params: PlaybackFileParams, querystring: OptionalViewerQuery,
      response: { 206: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 416: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId, file } = request.params;
    if (!request.query.v) throw new UnauthorizedError(LINK_INVALID);
    const grant = await app.share.authorizeRewind(request.query.v, cameraId);
    const fileId = Number(file.slice(1, file.lastIndexOf('.')));
    const asked = parseByteRange(request.headers.range, Number.MAX_SAFE_INTEGER);
    // Residents read listed segments only, so a range is required (hls.js sends the playlist's EXT-X-BYTERANGE).
    if (!asked) throw new HttpError(416, 'A Range header naming one listed segment is required');
    const f = await app.recordings.service.residentFileRange(grant, cameraId, fileId, asked.start, asked.end);
    return sendStoredFile(reply, { abs: join(app.recordings.dir, f.path), bytes: f.bytes, format: f.format }, asked, 'private, no-store');
  });
};

export default routes;
