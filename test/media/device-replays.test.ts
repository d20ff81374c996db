// The pure parts of device playback: dating a replay relay's live playlist from the asked start (by media
// durations, stable across polls as the window slides), and filling a network's RTSP playback URL template.
import { describe, expect, it } from 'vitest';
import { datePlaylist } from '../../server/media/device-replays';
import { playbackUrlFromTemplate } from '../../server/media/device-recordings';

const live = (seq: number, durations: number[]) => '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n' +
  `#EXT-X-MEDIA-SEQUENCE:${seq}\n` + durations.map((d, i) => `#EXTINF:${d.toFixed(3)},\ns1-${seq + i}.ts\n`).join('');

describe('datePlaylist', () => {
  it('dates segments from the start by their durations and keeps the dates as the window slides', () => {
    const r = { session: 'a1', fromMs: Date.parse('2026-12-07T10:00:00Z'), dates: new Map() };
    const first = datePlaylist(live(0, [1, 1.04]), r);
    expect(first).toContain('#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:00.000Z\n#EXTINF:1.000,\na1/s1-0.ts');
    expect(first).toContain('#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:01.000Z\n#EXTINF:1.040,\na1/s1-1.ts');
    const later = datePlaylist(live(1, [1.04, 0.96]), r);
    expect(later).toContain('#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:01.000Z\n#EXTINF:1.040,\na1/s1-1.ts');
    expect(later).toContain('#EXT-X-PROGRAM-DATE-TIME:2026-12-07T10:00:02.040Z\n#EXTINF:0.960,\na1/s1-2.ts');
  });

  it('prefixes URI attributes (CMAF init) with the session', () => {
    const r = { session: 'b', fromMs: 0, dates: new Map() };
    expect(datePlaylist('#EXTM3U\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI="init-1.mp4"\n#EXTINF:1.000,\ns1-0.m4s\n', r)).toContain('#EXT-X-MAP:URI="b/init-1.mp4"');
  });
});

describe('playbackUrlFromTemplate', () => {
  it('fills host, port, channel and the range from the live URL', () => {
    const from = Date.parse('2026-12-07T10:15:00.400Z');
    const to = Date.parse('2026-12-07T10:20:00Z');
    expect(playbackUrlFromTemplate('rtsp://{host}:{port}/Streaming/tracks/{channel}01?starttime={startCompact}&endtime={endCompact}', 'rtsp://10.1.2.3/Streaming/Channels/101', 1, from, to))
      .toBe('rtsp://10.1.2.3:554/Streaming/tracks/101?starttime=20261207T101500Z&endtime=20261207T102000Z');
    expect(playbackUrlFromTemplate('rtsp://{host}:{port}/pb?s={start}&e={end}&x={unknown}', 'rtsp://h:8554/a', 2, from, to))
      .toBe('rtsp://h:8554/pb?s=2026-12-07T10:15:00Z&e=2026-12-07T10:20:00Z&x={unknown}');
    expect(playbackUrlFromTemplate('rtsp://{host}/x', 'http://h/a', 1, from, to)).toBeUndefined();
  });
});
