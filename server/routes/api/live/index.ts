import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, RelayInfo } from '../../../contracts/api';
import { inScope } from '../../../domain/scope';
import { relayIdOf } from '../../../media';
import { currentUser } from '../../../plugins/auth';
import whep from './whep';

const routes: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(whep);
  app.get('/relays', {
    schema: { tags: ['live'], summary: 'Running live relays in your scope, with codec, bitrate and viewers', response: { 200: Type.Array(RelayInfo), 401: ErrorBody } },
  }, async (request) => {
    const user = currentUser(request);
    const out: RelayInfo[] = [];
    for (const stats of app.relays.list()) {
      const camera = await app.repos.cameras.byId(stats.cameraId);
      if (!camera || !inScope(user.scopePath, camera.orgPath)) continue;
      const rec = app.recordings.recorder.state(stats.cameraId);
      out.push({
        ...stats,
        pinned: app.relays.manager.isPinned(relayIdOf(stats.cameraId, stats.stream)),
        recording: rec.state,
        recordingReason: rec.reason,
        cameraName: camera.name,
        lastKeyframeAt: stats.lastKeyframeAt ? new Date(stats.lastKeyframeAt).toISOString() : null,
      });
    }
    return out;
  });
};

export default routes;
