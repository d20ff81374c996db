// H.265 → H.264 transcodes (server/media/transcode) for viewers whose browser has no HEVC decoder, wired into the
// app: ffmpeg looked up once, a scratch directory under dataDir, the cap from config (media.maxTranscodes).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { TranscodeManager } from '../media';
import { findFfmpeg } from '../media/snapshot';

declare module 'fastify' {
  interface FastifyInstance {
    transcodes: TranscodeManager;
  }
}

export default fp(
  async (app) => {
    const { media } = app.config;
    const ffmpeg = findFfmpeg();
    const dir = join(app.config.dataDir, 'transcode');
    // Output of a previous run (killed without its cleanup) is never served again: new runs use new names.
    rmSync(dir, { recursive: true, force: true });
    const transcodes = new TranscodeManager(app.relays.manager, {
      ffmpeg, dir, maxTranscodes: media.maxTranscodes, idleTimeoutMs: media.idleTimeoutSec * 1000,
    });
    app.log.info(ffmpeg && media.maxTranscodes > 0 ? `H.265 → H.264 transcodes: up to ${media.maxTranscodes} with ${ffmpeg}` : 'H.265 → H.264 transcodes: off (no ffmpeg, or media.maxTranscodes is 0)');
    app.decorate('transcodes', transcodes);
    app.addHook('onClose', async () => transcodes.close());
  },
  { name: 'transcodes', dependencies: ['media'] },
);
