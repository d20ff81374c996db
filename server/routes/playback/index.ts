// Playback HLS per camera: /playback/:cameraId/index.m3u8?from&to (a VOD playlist over stored segments, byte
// ranges of a few files) and /playback/:cameraId/f<id>.ts (those files, Range requests answered with 206). Staff
// only, with the camera in their area (404 otherwise, as live); residents get none. Every playlist is audited
// (playback.open with the range); file reads are not (a player makes one per segment).
import { join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ErrorBody } from '../../contracts/api';
import { DeviceRangeQuery, DeviceSegmentParams, PlaybackFileParams, PlaybackParams, RangeQuery } from '../../contracts/recordings';
import { HttpError } from '../../errors';
import { CameraUnavailableError, RelayLimitError } from '../../media';
import { playlistHeaders, segmentHeaders } from '../../media/http';
import { CONTENT_TYPES } from '../../media/hls/packager';
import { currentUser } from '../../plugins/auth';
import { parseByteRange, RangeNotSatisfiable, sendStoredFile } from './stored-file';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = {
    max: 1200,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => `${request.cookies?.cvc_session ?? request.ip}:${(request.params as { cameraId?: string }).cameraId}`,
  };
  const NOSNIFF = { 'x-content-type-options': 'nosniff' };

  app.get('/:cameraId/index.m3u8', {
    helmet: false,
    // Not under /api or /live, so not session-guarded by default: say so (public would be a leak).
    config: { auth: 'session' as const, rateLimit },
    schema: {
      tags: ['playback'], summary: 'VOD HLS playlist of stored video (recording or live rewind) over a time range, audited',
      params: PlaybackParams, querystring: RangeQuery,
      response: { 200: Type.String({ description: 'M3U8 VOD playlist with EXT-X-BYTERANGE and EXT-X-PROGRAM-DATE-TIME' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const text = await app.recordings.service.playlist({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.query);
    return reply.headers({ 'content-type': CONTENT_TYPES['.m3u8']!, 'cache-control': 'private, no-store', ...NOSNIFF }).send(text);
  });

  // Device playback (设备回放): the camera's own recording replayed through a relay of its own (server/media/
  // device-replays.ts), as a live-style HLS playlist dated from `from`; its segments under device/<session>/.
  app.get('/:cameraId/device/index.m3u8', {
    helmet: false,
    config: { auth: 'session' as const, rateLimit },
    schema: {
      tags: ['playback'], summary: 'HLS of the camera\'s own recording (ONVIF Profile G replay or the network\'s playback URL) from `from`, at `scale`; audited',
      params: PlaybackParams, querystring: DeviceRangeQuery,
      response: { 200: Type.String({ description: 'M3U8 playlist with EXT-X-PROGRAM-DATE-TIME from the requested start' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody, 502: ErrorBody, 503: ErrorBody, 504: ErrorBody },
    },
  }, async (request, reply) => {
    const user = currentUser(request);
    const viewerKey = `u${user.id}:${(request.cookies?.cvc_session ?? request.ip).slice(0, 12)}`;
    let text: string;
    try {
      text = await app.devicePlayback.playlist({ user, ip: request.ip, viewerKey }, request.params.cameraId, request.query);
    } catch (err) {
      if (err instanceof RelayLimitError) {
        reply.header('retry-after', '10');
        throw new HttpError(503, `Too many streams at once (limit ${err.limit}); try again shortly`);
      }
      if (err instanceof CameraUnavailableError) throw new HttpError(502, `Camera ${request.params.cameraId} replay unavailable: ${err.reason}`);
      throw err;
    }
    return reply.headers({ ...playlistHeaders(), ...NOSNIFF }).send(text);
  });

  app.get('/:cameraId/device/:session/:file', {
    helmet: false,
    config: { auth: 'session' as const, rateLimit },
    schema: {
      tags: ['playback'], summary: 'A segment of a device replay, as named by its playlist',
      params: DeviceSegmentParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId, session, file } = request.params;
    const found = await app.devicePlayback.segment(currentUser(request), cameraId, session, file);
    const body = Buffer.from(found.body.buffer, found.body.byteOffset, found.body.byteLength);
    return reply.headers({ ...segmentHeaders(found.contentType, body.byteLength), ...NOSNIFF }).send(body);
  });

  app.get('/:cameraId/:file', {
    helmet: false,
    // Not under /api or /live, so not session-guarded by default: say so (public would be a leak).
    config: { auth: 'session' as const, rateLimit },
    schema: {
      tags: ['playback'], summary: 'A stored file named by a playback playlist; Range requests answered with 206',
      params: PlaybackFileParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 206: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 416: ErrorBody, 429: ErrorBody },
    },
  }, async (request, reply) => {
    const { cameraId, file } = request.params;
    const f = await app.recordings.service.file(currentUser(request), cameraId, Number(file.slice(1, file.lastIndexOf('.'))));
    const stored = { abs: join(app.recordings.dir, f.path), bytes: f.bytes, format: f.format };
    let range: { start: number; end: number } | null;
    try {
      range = parseByteRange(request.headers.range, f.bytes);
    } catch (err) {
      if (err instanceof RangeNotSatisfiable) reply.header('content-range', `bytes */${err.size}`);
      throw err;
    }
    return sendStoredFile(reply, stored, range, 'private, max-age=3600');
  });
};

export default routes;
