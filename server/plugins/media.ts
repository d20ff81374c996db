// Wires the framework-free RelayManager (server/media) into the app: where a camera's stream comes from,
// what its status changes mean for the catalogue, and who hears about them over socket.io.
import fp from 'fastify-plugin';
import { NotFoundError } from '../errors';
import { CameraRelays, RelayManager, isDeviceRelay, streamOfRelay, type CameraStatusEvent } from '../media';
import { OnvifRecordings } from '../media/device-recordings';
import { DeviceReplays } from '../media/device-replays';
import { DevicePlaybackService } from '../recordings/device';

declare module 'fastify' {
  interface FastifyInstance {
    relays: CameraRelays;
    /** Device playback (设备回放): the camera's own recording replayed through relays of its own. */
    devicePlayback: DevicePlaybackService;
  }
}

export default fp(
  async (app) => {
    const { media } = app.config;
    let replays: DeviceReplays | undefined;
    const relays: CameraRelays = new CameraRelays(new RelayManager({
      // Relay ids stand for a camera and one of its streams (see media/camera-relays.ts), or a device replay.
      resolveSource: async (relayId) => {
        if (isDeviceRelay(relayId)) {
          const source = replays?.sourceOf(relayId);
          if (!source) throw new NotFoundError('Device replay');
          return source;
        }
        const { cameraId, stream } = streamOfRelay(relayId);
        const source = await app.repos.cameras.source(cameraId, stream);
        if (!source) throw new NotFoundError(`Camera ${cameraId}`);
        return { url: source.url, username: source.username, password: source.password };
      },
      idleTimeoutMs: media.idleTimeoutSec * 1000,
      stallTimeoutMs: media.stallTimeoutSec * 1000,
      maxRelays: media.maxRelays,
      segmentFormat: media.segmentFormat,
      // Relays run on worker threads (default: cores - 1, min 1); CONSOLE_RELAY_WORKERS=0 keeps them on this thread.
      workers: process.env.CONSOLE_RELAY_WORKERS ? Number(process.env.CONSOLE_RELAY_WORKERS) : undefined,
      // Every relay's segments go to the rewind ring, or to recordings for a recorded camera (plugins/recording.ts).
      // A device replay is the camera's past: neither rewind ring nor recording.
      onPublish: (relayId, publish) => { if (!isDeviceRelay(relayId)) app.recordings.recorder.onPublish(relayId, publish); },
      onRelayEnd: (relayId) => {
        if (isDeviceRelay(relayId)) return;
        app.recordings.recorder.onRelayEnd(relayId);
        relays.emit('ended', relayId);
      },
      // LL-HLS parts (server/media/README.md "Smooth from the first frame"): CONSOLE_LL_PARTS=1 turns them on; off by
      // default until bench:relay meets its PSS goal with them (0.204–0.207 of ffmpeg's against 0.2).
      parts: process.env.CONSOLE_LL_PARTS === '1',
      // A pushed camera's relay gets the device's configs and current GOP at once (server/media/push/feeder.ts).
      onRelayStart: (relayId) => relays.relayStarted(relayId),
    }));
    app.recordings.recorder.attach(relays.manager);
    replays = new DeviceReplays(relays.manager);
    const templates = new Map<string, string>();
    for (const n of app.config.networks) if (n.rtspPlaybackTemplate) templates.set(n.key, n.rtspPlaybackTemplate);
    app.decorate('devicePlayback', new DevicePlaybackService({ repos: app.repos, replays, onvif: new OnvifRecordings(), templates }));

    async function recordStatus({ cameraId, stream, status, reason, codec, width, height }: CameraStatusEvent) {
      // Either stream reaching the camera or failing to says the same about the camera; the catalogue's codec and
      // picture size are the main stream's (the event carries them when it goes online).
      const main = stream === 'main';
      // The shared recorder (server/cameras/service.ts) writes the status and pushes 'camera:status' when it changed.
      await app.cameras.recordStatus(cameraId, status, reason, {
        codec: (main && codec) || undefined,
        width: (main && width) || undefined,
        height: (main && height) || undefined,
      });
    }
    relays.on('status', (event) => {
      recordStatus(event).catch((err) => app.log.warn({ err, cameraId: event.cameraId }, 'could not record camera status'));
    });

    app.decorate('relays', relays);
    // A listening gateway starts its relay workers now, so the first viewer does not wait for them; apps built
    // for tests (inject, never listen) start them only if a live route is used.
    app.addHook('onListen', async () => { relays.warmUp().catch((err) => app.log.warn({ err }, 'relay workers did not start')); });
    app.addHook('onClose', async () => relays.close());
  },
  { name: 'media', dependencies: ['database', 'cameras', 'recording'] },
);
