// Recorded spans and gaps of a camera (the timeline), its recording setting, and locked ranges. Same area rules as
// live: a camera outside the caller's area is 404.
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import { DaysQuery, DeviceRecordings, LockBody, PlaybackParams, RangeQuery, RecordedDays, RecordingLock, RecordingSettings, RecordingSettingsBody, Timeline } from '../../../contracts/recordings';
import { currentUser } from '../../../plugins/auth';

/** Who may change what is recorded and lock ranges: those who manage cameras (not village officers). */
const EDITORS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = () => app.recordings.service;

  app.get('/:cameraId/timeline', {
    schema: {
      tags: ['playback'], summary: 'Recorded spans (and so gaps) of a camera over a range of up to 48 h',
      params: PlaybackParams, querystring: RangeQuery, response: { 200: Timeline, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => svc().timeline(currentUser(request), request.params.cameraId, request.query));

  app.get('/:cameraId/device', {
    schema: {
      tags: ['playback'], summary: 'Device playback (设备回放): what the camera\'s own recording (NVR/SD card) holds in a range of up to 48 h, and how it is reached (ONVIF Profile G, the network\'s RTSP playback URL template, or none with the reason)',
      params: PlaybackParams, querystring: RangeQuery, response: { 200: DeviceRecordings, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 502: ErrorBody, 504: ErrorBody },
    },
  }, async (request) => app.devicePlayback.search(currentUser(request), request.params.cameraId, request.query));

  app.get('/:cameraId/days', {
    schema: {
      tags: ['playback'], summary: 'Local days (up to 62) holding video of a camera, for the playback day picker',
      params: PlaybackParams, querystring: DaysQuery, response: { 200: RecordedDays, 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => svc().days(currentUser(request), request.params.cameraId, request.query));

  app.get('/:cameraId/clip.mp4', {
    schema: {
      tags: ['playback'], summary: 'A range of up to 30 min as MP4 (remuxed, not transcoded), audited; stops at the first discontinuity (x-clip-cut: 1)',
      params: PlaybackParams, querystring: RangeQuery,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 422: ErrorBody, 503: ErrorBody },
    },
  }, async (request, reply) => {
    const clip = await svc().clip({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.query);
    const stream = createReadStream(clip.path);
    stream.once('close', () => { void clip.done(); });
    const name = `camera-${request.params.cameraId}-${request.query.from.replace(/[^0-9TZ]/g, '')}.mp4`;
    return reply.headers({
      'content-type': 'video/mp4', 'content-disposition': `attachment; filename="${name}"`, 'x-clip-cut': clip.cut ? '1' : '0', 'cache-control': 'private, no-store',
    }).send(stream as never);
  });

  app.get('/:cameraId/settings', {
    schema: { tags: ['playback'], summary: 'A camera\'s recording mode, stream, retention and state', params: PlaybackParams, response: { 200: RecordingSettings, 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => svc().settings(currentUser(request), request.params.cameraId));

  app.put('/:cameraId/settings', {
    config: EDITORS,
    schema: {
      tags: ['playback'], summary: 'Record a camera continuously (its relay runs without viewers) or stop; retention in days',
      params: PlaybackParams, body: RecordingSettingsBody, response: { 200: RecordingSettings, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => svc().saveSettings({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.body));

  app.get('/:cameraId/locks', {
    schema: { tags: ['playback'], summary: 'Locked ranges of a camera (kept whatever the retention)', params: PlaybackParams, response: { 200: Type.Array(RecordingLock), 401: ErrorBody, 404: ErrorBody } },
  }, async (request) => svc().locks(currentUser(request), request.params.cameraId));

  app.post('/:cameraId/locks', {
    config: EDITORS,
    schema: {
      tags: ['playback'], summary: 'Lock a range of a camera\'s video (evidence): retention and the quota skip it',
      params: PlaybackParams, body: LockBody, response: { 200: RecordingLock, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => svc().lock({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.body));
};

export default routes;
