import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ErrorBody, RelayClusterInfo, RelayInfo } from '../../../contracts/api';
import { inScope } from '../../../domain/scope';
import { isDeviceRelay, relayIdOf, streamOfRelay } from '../../../media';
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
        node: app.relayRouter.nodeId,
      });
    }
    return out;
  });

  app.get('/cluster', {
    schema: { tags: ['live'], summary: 'Gateway nodes with their relay counts, and which node pulls each stream in your scope', response: { 200: RelayClusterInfo, 401: ErrorBody } },
  }, async (request) => {
    const user = currentUser(request);
    const status = await app.relayRouter.status();
    const leases: RelayClusterInfo['leases'] = [];
    for (const lease of status.leases) {
      if (isDeviceRelay(lease.relayId)) continue;
      const { cameraId, stream } = streamOfRelay(lease.relayId);
      const camera = await app.repos.cameras.byId(cameraId);
      if (camera && inScope(user.scopePath, camera.orgPath)) leases.push({ cameraId, stream, nodeId: lease.nodeId });
    }
    return {
      nodeId: status.nodeId,
      clustered: status.clustered,
      nodes: status.nodes.map(({ nodeId, alive, relays, leases: held, maxRelays }) => ({ nodeId, alive, relays, leases: held, maxRelays })),
      leases,
    };
  });
};

export default routes;
