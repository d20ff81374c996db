// 移动视频: the RTMP ingest (server/media/push) and the push-device service (server/push) wired into the app. A
// device accepted by its stream key publishes into the camera's relay feed; its publish is its status (online
// with the codec and size of its SPS while it publishes, offline 'closed' when it stops).
import fp from 'fastify-plugin';
import { describeVideo } from '../media/h264/params';
import { FLV_VIDEO, parseAvcConfig, videoTagKind } from '../media/push/flv';
import { RtmpIngest, PUSH_APP } from '../media/push/ingest';
import { PushDeviceService } from '../push/service';

declare module 'fastify' {
  interface FastifyInstance {
    push: PushDeviceService;
    /** Null unless `rtmp.enabled`. */
    rtmpIngest: RtmpIngest | null;
    /** rtmp://host:port/live/<key> for a key just issued; `requestHost` is the host the admin's browser used. */
    rtmpUrl(streamKey: string, requestHost: string): string;
  }
}

export default fp(
  async (app) => {
    const { rtmp } = app.config;
    let ingest: RtmpIngest | null = null;
    const service = new PushDeviceService({
      db: app.db, repos: app.repos, publisher: app.realtime, secrets: app.secrets,
      publishing: (cameraId) => ingest?.isPublishing(cameraId) ?? false,
    });
    const status = (cameraId: number, online: boolean, reason: string | null, media?: { codec: string; width: number; height: number }) => {
      app.cameras.recordStatus(cameraId, online ? 'online' : 'offline', reason, media ?? {})
        .catch((err) => app.log.warn({ err, cameraId }, 'could not record a pushed camera\'s status'));
    };
    // The demo (simulated cameras) runs the ingest for its pushing devices, on the console's own host (loopback in
    // the demo), unless rtmp is configured explicitly.
    const demo = !rtmp.enabled && app.config.demo.enabled && app.config.demo.simulateCameras;
    if (rtmp.enabled || demo) {
      const announced = new Set<number>();
      ingest = new RtmpIngest({
        authorize: (key) => service.authorize(key),
        onPublish: (cameraId) => { announced.delete(cameraId); app.relays.pushBegin(cameraId); },
        onTag: (cameraId, tag) => {
          // Online once the device's first video config arrives: it says what the camera plays.
          if (tag.type === FLV_VIDEO && !announced.has(cameraId) && videoTagKind(tag.data) === 'config') {
            const config = parseAvcConfig(tag.data);
            const format = config ? describeVideo('h264', config.params) : null;
            announced.add(cameraId);
            status(cameraId, true, null, format ? { codec: 'h264', width: format.width, height: format.height } : undefined);
          }
          app.relays.pushTag(cameraId, tag);
        },
        onEnd: (cameraId, reason) => {
          app.relays.pushEnd(cameraId, reason);
          if (announced.delete(cameraId)) status(cameraId, false, reason);
        },
        onRefused: (reason, ip) => {
          service.recordRefusal(reason, ip).catch((err) => app.log.warn({ err }, 'could not audit a refused publish'));
        },
      });
      const host = demo ? app.config.host : rtmp.host;
      try {
        const port = await ingest.listen(rtmp.port, host);
        app.log.info({ port, host }, 'RTMP ingest listening');
        app.addHook('onClose', async () => ingest?.close());
      } catch (err) {
        if (!demo) throw err;
        // Another demo console holds the port: this one runs without pushing devices.
        app.log.warn({ err, port: rtmp.port }, 'RTMP ingest not started (demo): port taken');
        ingest = null;
      }
    }
    app.decorate('push', service);
    app.decorate('rtmpIngest', ingest);
    app.decorate('rtmpUrl', (streamKey: string, requestHost: string) => {
      const host = rtmp.publicHost || requestHost.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
      const port = ingest?.port ?? rtmp.port;
      return `rtmp://${host.includes(':') ? `[${host}]` : host}${port === 1935 ? '' : `:${port}`}/${PUSH_APP}/${streamKey}`;
    });
  },
  { name: 'push', dependencies: ['database', 'cameras', 'media', 'realtime'] },
);
