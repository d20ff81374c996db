// The low-latency path (WebRTC/WHEP, server/media/webrtc/) wired into the app: sessions under the configured cap,
// fed from the relays the media plugin runs; every session ends with the app.
import fp from 'fastify-plugin';
import { LowLatencySessions } from '../media/webrtc/low-latency';

declare module 'fastify' {
  interface FastifyInstance {
    lowLatency: LowLatencySessions;
  }
}

export default fp(
  async (app) => {
    const { webrtc } = app.config;
    const sessions = new LowLatencySessions(app.relays, {
      maxSessions: webrtc.maxSessions,
      ice: { bindAddress: webrtc.bindAddress, announceAddress: webrtc.announceAddress },
    });
    app.decorate('lowLatency', sessions);
    app.addHook('onClose', async () => sessions.closeAll());
  },
  { name: 'webrtc', dependencies: ['media'] },
);
