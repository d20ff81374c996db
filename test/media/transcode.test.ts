// H.265 → H.264 for browsers without an HEVC decoder: a simulated H.265 camera → relay → one shared ffmpeg
// transcode fed the relay's own segments → live HLS that ffprobe decodes as H.264; the cap refuses a second one,
// the last viewer leaving stops it, and without ffmpeg the refusal says why.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planCamera, startCamera, type SimCamera } from '../../scripts/simulator/index';
import { SEGMENT_NAME_PATTERN } from '../../server/media/hls/segment-names';
import { TranscodeLimitError, TranscodeManager, TranscodeUnavailableError } from '../../server/media/transcode/manager';
import { HAVE_FFPROBE, SKIP_FFPROBE_MSG, probe } from './helpers/ffprobe';
import { camera, managerFor, segmentNames, until } from './helpers/sim';

// Simulator indexes of this file (of the codec range 3950–3999): 3965 has the h265 fixture (index % 50 === 15),
// 3980 is given it; 640x360 25 fps, GOP 1 s.
const H265 = [3965, 3980];
// 3975 plays the h265-pcma composite (H.265 + G.711, as cheap consumer cameras send): its relay is CMAF (FLAC audio).
const H265_PCMA = 3975;
const cams = new Map<number, SimCamera>();
const dir = mkdtempSync(join(tmpdir(), 'transcode-test-'));
const FFMPEG = '/usr/bin/ffmpeg';

beforeAll(async () => {
  cams.set(3965, await camera(3965));
  const other = planCamera({ index: 3980, name: 'relay-test-3980', network: 'test', orgUnitCode: 'T' });
  cams.set(3980, await startCamera({ ...other, fixture: 'h265', subFixture: 'h265' }));
  const spec = planCamera({ index: H265_PCMA, name: `relay-test-${H265_PCMA}`, network: 'test', orgUnitCode: 'T' });
  cams.set(H265_PCMA, await startCamera({ ...spec, fixture: 'h265-pcma', subFixture: 'h265-pcma' }));
});
afterAll(async () => {
  await Promise.all([...cams.values()].map((c) => c.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAVE_FFPROBE || !existsSync(FFMPEG))('H.265 → H.264 transcode ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), () => {
  it('one shared transcode per relay decodes as H.264; the cap refuses another; the last viewer leaving stops it', async () => {
    const { manager } = managerFor(cams);
    const transcodes = new TranscodeManager(manager, { ffmpeg: FFMPEG, dir, maxTranscodes: 1, idleTimeoutMs: 4000 });
    try {
      const [a, b] = H265 as [number, number];
      await manager.playlist(a, 'viewer-a');
      expect(manager.codecOf(a)).toBe('h265');
      const [p1, p2] = await Promise.all([transcodes.playlist(a, 'viewer-a'), transcodes.playlist(a, 'viewer-b')]);
      expect(transcodes.size).toBe(1); // two viewers, one process
      expect(p2.startsWith('#EXTM3U')).toBe(true);
      const text = await until(async () => {
        const [t] = await Promise.all([transcodes.playlist(a, 'viewer-a'), transcodes.playlist(a, 'viewer-b')]);
        return segmentNames(t).length >= 2 ? t : null;
      }, 200);
      // Both viewers asked just now: one process serves them.
      expect(transcodes.list()).toMatchObject([{ relayId: a, viewers: 2 }]);
      expect(p1).toContain('#EXT-X-TARGETDURATION');
      const names = segmentNames(text);
      for (const n of names) expect(n).toMatch(new RegExp(SEGMENT_NAME_PATTERN));
      const bodies = await Promise.all(names.map((n) => transcodes.segment(a, n)));
      const r = await probe(Buffer.concat(bodies.map((x) => x!)));
      expect(r.errors).toBe('');
      const v = r.streams.find((s) => s.codec_type === 'video');
      expect(v).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(r.packets.filter((p) => p.codec_type === 'video').length).toBeGreaterThan(25);
      const pid = transcodes.list()[0]!.pid!;

      await manager.playlist(b, 'viewer-a');
      const refused = await transcodes.playlist(b, 'viewer-a').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TranscodeLimitError);
      expect((refused as TranscodeLimitError).limit).toBe(1);

      // Nobody asks any more: the process ends and its files go.
      await until(() => transcodes.size === 0);
      await until(() => { try { process.kill(pid, 0); return false; } catch { return true; } });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await transcodes.close();
      manager.close();
    }
  });

  it('an H.265 + G.711 camera (CMAF with FLAC from the relay) comes out as H.264 + AAC', async () => {
    const { manager } = managerFor(cams);
    const transcodes = new TranscodeManager(manager, { ffmpeg: FFMPEG, dir, maxTranscodes: 1 });
    try {
      const relayed = await manager.playlist(H265_PCMA, 'v');
      expect(relayed).toContain('#EXT-X-MAP:URI="init-');
      const text = await until(async () => {
        const t = await transcodes.playlist(H265_PCMA, 'v');
        return segmentNames(t).length >= 2 ? t : null;
      }, 200);
      const bodies = await Promise.all(segmentNames(text).map((n) => transcodes.segment(H265_PCMA, n)));
      const r = await probe(Buffer.concat(bodies.map((x) => x!)));
      expect(r.errors).toBe('');
      expect(r.streams.find((s) => s.codec_type === 'video')).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
      expect(r.streams.find((s) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac' });
      // 8 kHz AAC: 1024 samples (128 ms) a frame, so two ~1 s segments hold ~15.
      expect(r.packets.filter((p) => p.codec_type === 'audio').length).toBeGreaterThan(10);
    } finally {
      await transcodes.close();
      manager.close();
    }
  });

  it('without ffmpeg the refusal names the reason', async () => {
    const { manager } = managerFor(cams);
    const transcodes = new TranscodeManager(manager, { ffmpeg: null, dir, maxTranscodes: 2 });
    try {
      const err = await transcodes.playlist(H265[0]!, 'v').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TranscodeUnavailableError);
      expect((err as TranscodeUnavailableError).reason).toBe('ffmpeg not found');
    } finally {
      await transcodes.close();
      manager.close();
    }
  });
});
