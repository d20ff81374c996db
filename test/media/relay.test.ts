// Simulated camera → RelayManager → playlist and segments, validated by ffprobe (Debian).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import { SEGMENT_NAME_PATTERN } from '../../server/media/hls/segment-names';
import { CameraUnavailableError, RelayLimitError } from '../../server/media/index';
import { HAVE_FFPROBE, SKIP_FFPROBE_MSG, probe } from './helpers/ffprobe';
import { camera, managerFor, segmentNames, until } from './helpers/sim';

// Indexes chosen for their fixtures (see server/demo/camera-plan.ts): 2001 h264, 2005 h264-aac, 2010 h264-bframes,
// 2015 h265, 2020 h264-pcma.
const FIXTURES = { h264: 2001, aac: 2005, bframes: 2010, h265: 2015, pcma: 2020 } as const;
const cams = new Map<number, SimCamera>();

beforeAll(async () => {
  for (const i of Object.values(FIXTURES)) cams.set(i, await camera(i));
});
afterAll(async () => {
  await Promise.all([...cams.values()].map((c) => c.close()));
});

/** Poll the playlist the way a player does until it lists `n` segments. */
async function playlistWith(manager: ReturnType<typeof managerFor>['manager'], id: number, n: number): Promise<string> {
  for (;;) {
    const text = await manager.playlist(id, 'viewer-a');
    if (segmentNames(text).length >= n) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(!HAVE_FFPROBE)('relay output decodes ' + (HAVE_FFPROBE ? '' : SKIP_FFPROBE_MSG), () => {
  const cases: [string, number, string, string | null][] = [
    ['H.264', FIXTURES.h264, 'h264', null],
    ['H.264 + AAC', FIXTURES.aac, 'h264', 'aac'],
    ['H.264 with B-frames', FIXTURES.bframes, 'h264', null],
    ['H.265', FIXTURES.h265, 'hevc', null],
    ['H.264 + G.711 (carried as FLAC in CMAF)', FIXTURES.pcma, 'h264', 'flac'],
  ];
  for (const [label, id, vcodec, acodec] of cases) {
    it(label, async () => {
      const { manager, events } = managerFor(cams);
      try {
        const text = await playlistWith(manager, id, 3);
        expect(text.startsWith('#EXTM3U\n')).toBe(true);
        const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(text)![1]);
        const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]);
        expect(seq).toBeGreaterThanOrEqual(0);
        const durations = [...text.matchAll(/#EXTINF:([\d.]+),/g)].map((m) => Number(m[1]));
        for (const d of durations) {
          expect(d).toBeGreaterThan(0);
          expect(Math.round(d)).toBeLessThanOrEqual(target);
        }
        const names = segmentNames(text);
        // Relative, no scheme, no credentials, and each one a name the live route accepts.
        for (const n of names) expect(n).toMatch(new RegExp(SEGMENT_NAME_PATTERN));
        expect(text).not.toContain(cams.get(id)!.spec.password);
        // A CMAF stream (G.711 audio goes out as FLAC, whatever the configured format) decodes after its init segment.
        const init = /#EXT-X-MAP:URI="([^"]+)"/.exec(text)?.[1];
        const body = Buffer.concat([...(init ? [init] : []), ...names].map((n) => manager.segment(id, n)!.body));
        const r = await probe(body, init ? '.mp4' : '.ts');
        expect(r.errors).toBe('');
        const v = r.streams.find((s) => s.codec_type === 'video');
        const a = r.streams.find((s) => s.codec_type === 'audio');
        expect(v?.codec_name).toBe(vcodec);
        expect(a?.codec_name ?? null).toBe(acodec);
        const video = r.packets.filter((p) => p.codec_type === 'video');
        for (let i = 1; i < video.length; i++) {
          expect(video[i]!.dts).toBeGreaterThan(video[i - 1]!.dts);
          expect(video[i]!.dts).toBeLessThanOrEqual(video[i]!.pts);
        }
        if (acodec === 'flac') {
          // G.711 made audible: 8 kHz mono, and continuous (each packet starts where the previous one ended).
          expect(a).toMatchObject({ sample_rate: '8000', channels: 1 });
          const audio = r.packets.filter((p) => p.codec_type === 'audio');
          // FLAC frames of 1024 samples (128 ms): three segments hold ~20.
          expect(audio.length).toBeGreaterThan(10);
          const gaps = audio.slice(1).map((p, i) => p.pts - audio[i]!.pts);
          expect(Math.max(...gaps)).toBeLessThanOrEqual(Math.min(...gaps) * 1.5);
        }
        if (label.includes('B-frames')) expect(video.some((p, i) => i > 0 && p.pts < video[i - 1]!.pts)).toBe(true);
        const stats = manager.list().find((s) => s.relayId === id)!;
        expect(stats.state).toBe('online');
        expect(stats.viewers).toBe(1);
        expect(stats).toMatchObject({ width: v!.width, height: v!.height });
        if (vcodec === 'hevc') expect(stats.codecString).toMatch(/^hvc1\./);
        expect(events).toContainEqual({ relayId: id, status: 'online', reason: null, codec: vcodec === 'hevc' ? 'h265' : 'h264', width: v!.width, height: v!.height });
      } finally {
        manager.close();
      }
    });
  }
});

describe('relay lifecycle', () => {
  it('warm start answers at once from the running relay, and idle relays stop', async () => {
    const { manager } = managerFor(cams, { idleTimeoutMs: 1500 });
    try {
      const first = await manager.playlist(FIXTURES.h264);
      expect(first).toContain('#EXTINF');
      expect(manager.size).toBe(1);
      // A second request finds the same relay (no second RTSP session at the camera).
      await manager.playlist(FIXTURES.h264);
      expect(cams.get(FIXTURES.h264)!.activeStreams()).toBe(1);
      await until(() => manager.size === 0);
      expect(manager.list()).toEqual([]);
      await until(() => cams.get(FIXTURES.h264)!.activeStreams() === 0);
    } finally {
      manager.close();
    }
  });

  it('caps concurrent relays with RelayLimitError', async () => {
    const { manager } = managerFor(cams, { maxRelays: 1 });
    try {
      await manager.playlist(FIXTURES.h264);
      await expect(manager.playlist(FIXTURES.h265)).rejects.toBeInstanceOf(RelayLimitError);
    } finally {
      manager.close();
    }
  });

  it('serves CMAF with an init segment', async () => {
    const { manager } = managerFor(cams, { segmentFormat: 'cmaf' });
    try {
      const text = await manager.playlist(FIXTURES.h264);
      expect(text).toMatch(/#EXT-X-MAP:URI="init-\d+\.mp4"/);
      const init = /URI="([^"]+)"/.exec(text)![1]!;
      for (const name of [init, ...segmentNames(text)]) expect(name).toMatch(new RegExp(SEGMENT_NAME_PATTERN));
      expect(manager.segment(FIXTURES.h264, init)?.contentType).toBe('video/mp4');
      expect(manager.segment(FIXTURES.h264, segmentNames(text)[0]!)?.contentType).toBe('video/iso.segment');
    } finally {
      manager.close();
    }
  });

  it('LL-HLS parts through a worker: blocking reloads wait for the part asked for, parts decode as served', async () => {
    const { manager } = managerFor(cams, { parts: true });
    try {
      // Poll until the playlist lists parts (after the first GOP), then block for the part after the newest one.
      let text = await manager.playlist(FIXTURES.h264, 'viewer-a');
      await until(async () => /#EXT-X-PART:/.test(text = await manager.playlist(FIXTURES.h264, 'viewer-a')), 100);
      expect(text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES');
      const parts = [...text.matchAll(/#EXT-X-PART:[^\n]*URI="([^"]+)"/g)].map((m) => m[1]!);
      const msn = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]) + (text.match(/#EXTINF:/g) ?? []).length;
      // The open segment's parts follow the last EXTINF; ask for the next one of that segment.
      const tail = text.slice(text.lastIndexOf('#EXTINF:'));
      const openParts = (tail.match(/#EXT-X-PART:/g) ?? []).length;
      const next = await manager.playlist(FIXTURES.h264, 'viewer-a', { msn, part: openParts });
      const nextParts = [...next.matchAll(/#EXT-X-PART:[^\n]*URI="([^"]+)"/g)].map((m) => m[1]!);
      expect(nextParts.filter((n) => !parts.includes(n)).length).toBeGreaterThanOrEqual(1);
      // Every listed part is served, and a part body is MPEG-TS.
      for (const name of nextParts) {
        const f = manager.segment(FIXTURES.h264, name);
        expect(f, name).toBeDefined();
        expect(f!.body[0]).toBe(0x47);
      }
    } finally {
      manager.close();
    }
  });

  it('unknown segments are undefined', async () => {
    const { manager } = managerFor(cams);
    try {
      expect(manager.segment(FIXTURES.h264, 's1-1.ts')).toBeUndefined();
      await manager.playlist(FIXTURES.h264);
      expect(manager.segment(FIXTURES.h264, '../etc/passwd')).toBeUndefined();
    } finally {
      manager.close();
    }
  });

  it('answers the camera\'s Digest challenge (offered before Basic) with the shared implementation, never Basic', async () => {
    const cam = cams.get(FIXTURES.h264)!;
    const before = cam.stats().auth;
    const { manager } = managerFor(cams);
    try {
      await manager.playlist(FIXTURES.h264);
      const after = cam.stats().auth;
      // DESCRIBE, SETUP and PLAY at least, each with its own nc: the camera accepted every one.
      expect(after.digest - before.digest).toBeGreaterThanOrEqual(3);
      expect(after.basic).toBe(before.basic);
      expect(after.rejected).toBe(before.rejected);
    } finally {
      manager.close();
    }
  });

  it('a camera that refuses the connection gives CameraUnavailableError(refused)', async () => {
    const { manager, events } = managerFor(new Map([[2199, { rtspUrl: 'rtsp://127.0.8.200:8554/stream1', spec: { username: 'a', password: 'b' } } as unknown as SimCamera]]));
    try {
      const err = await manager.playlist(2199).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CameraUnavailableError);
      expect((err as CameraUnavailableError).reason).toBe('refused');
      expect(events[0]).toEqual({ relayId: 2199, status: 'offline', reason: 'refused', codec: null, width: null, height: null });
    } finally {
      manager.close();
    }
  });
});
