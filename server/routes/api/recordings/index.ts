// Recorded spans and gaps of a camera (the timeline), its recording setting, and locked ranges. Same area rules as
// live: a camera outside the caller's area is 404.
import { createReadStream } from 'node:fs';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody } from '../../../contracts/api';
import {
  DaysQuery, DeviceRecordings, EventBody, EventResult, LockBody, NetworkParams, PlaybackParams, RangeQuery, RecordedDays, RecordingDefault, RecordingLock,
  RecordingPlanBody, RecordingSettings, RecordingSettingsBody, Timeline, UnitParams,
} from '../../../contracts/recordings';
import { currentUser } from '../../../plugins/auth';

/** Who may change what is recorded and lock ranges: those who manage cameras (not village officers). */
const EDITORS = { roles: ['admin' as const, 'county_operator' as const, 'township_officer' as const] };

/** Network defaults apply county-wide. */
const COUNTY = { roles: ['admin' as const, 'county_operator' as const] };
const Applied = Type.Object({ recorded: Type.Integer({ description: 'Cameras recorded (any mode but off) after the change' }) });

const routes: FastifyPluginAsyncTypebox = async (app) => {
  const svc = () => app.recordings.service;
  const plans = () => app.recordings.plans;

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
  }, async (request) => plans().settings(currentUser(request), request.params.cameraId));

  app.put('/:cameraId/settings', {
    config: EDITORS,
    schema: {
      tags: ['playback'], summary: 'A camera\'s recording plan: off, continuous, weekly schedule or event (pre/post roll); inherit follows its unit or network',
      params: PlaybackParams, body: RecordingSettingsBody, response: { 200: RecordingSettings, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => plans().saveSettings({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.body));

  app.post('/:cameraId/events', {
    config: EDITORS,
    schema: {
      tags: ['playback'], summary: 'An event (alarm) on a camera: its pre-roll from the rewind ring is kept and it records its post-roll',
      params: PlaybackParams, body: EventBody, response: { 200: EventResult, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => plans().event({ user: currentUser(request), ip: request.ip }, request.params.cameraId, request.body));

  app.get('/defaults', {
    schema: { tags: ['playback'], summary: 'Default recording plans of networks and of the org units in your area', response: { 200: Type.Array(RecordingDefault), 401: ErrorBody } },
  }, async (request) => plans().defaults(currentUser(request)));

  app.put('/defaults/network/:network', {
    config: COUNTY,
    schema: {
      tags: ['playback'], summary: 'The default plan of every camera of a network without its own or its unit\'s',
      params: NetworkParams, body: RecordingPlanBody, response: { 200: Applied, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => plans().saveNetworkDefault({ user: currentUser(request), ip: request.ip }, request.params.network, request.body));

  app.delete('/defaults/network/:network', {
    config: COUNTY,
    schema: { tags: ['playback'], summary: 'Remove a network\'s default plan', params: NetworkParams, response: { 200: Applied, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => plans().saveNetworkDefault({ user: currentUser(request), ip: request.ip }, request.params.network, null));

  app.put('/defaults/unit/:unitId', {
    config: EDITORS,
    schema: {
      tags: ['playback'], summary: 'The default plan of every camera in an org unit\'s subtree without its own (the nearest unit wins)',
      params: UnitParams, body: RecordingPlanBody, response: { 200: Applied, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => plans().saveUnitDefault({ user: currentUser(request), ip: request.ip }, request.params.unitId, request.body));

  app.delete('/defaults/unit/:unitId', {
    config: EDITORS,
    schema: { tags: ['playback'], summary: 'Remove an org unit\'s default plan', params: UnitParams, response: { 200: Applied, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody } },
  }, async (request) => plans().saveUnitDefault({ user: currentUser(request), ip: request.ip }, request.params.unitId, null));

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
