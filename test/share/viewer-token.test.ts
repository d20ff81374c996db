import { describe, expect, it } from 'vitest';
import { issueViewerToken, readViewerToken, ViewerTokenCache } from '../../server/share/viewer-token';
import { withViewerToken } from '../../server/share/playlist';
import { createHmac } from 'node:crypto';

describe('viewer tokens and playlists', () => {
  const sign = (data: string) => createHmac('sha256', 'k').update(data).digest('base64url');

  it('round-trips claims and rejects tampering, truncation and another key', () => {
    const token = issueViewerToken({ linkId: 7, device: 'abc123', issuedAt: 1_800_000_000 }, sign);
    expect(readViewerToken(token, sign)).toEqual({ linkId: 7, device: 'abc123', issuedAt: 1_800_000_000 });
    const [body, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify([8, 'abc123', 1_800_000_000])).toString('base64url');
    expect(readViewerToken(`${forged}.${sig}`, sign)).toBeUndefined();
    expect(readViewerToken(body, sign)).toBeUndefined();
    expect(readViewerToken(`${token}.x`, sign)).toBeUndefined();
    expect(readViewerToken(token, (d) => createHmac('sha256', 'other').update(d).digest('base64url'))).toBeUndefined();
  });

  it('remembers verified tokens only, signing each once, and stays within its capacity', () => {
    let signed = 0;
    const counting = (data: string) => (signed++, sign(data));
    const cache = new ViewerTokenCache(counting, 2);
    const token = (linkId: number) => issueViewerToken({ linkId, device: 'd', issuedAt: 1 }, sign);
    expect(cache.read(token(1))).toEqual({ linkId: 1, device: 'd', issuedAt: 1 });
    expect(cache.read(token(1))).toEqual({ linkId: 1, device: 'd', issuedAt: 1 });
    expect(signed).toBe(1);
    const forged = `${token(1).split('.')[0]}.AAAA`;
    expect(cache.read(forged)).toBeUndefined();
    expect(cache.read(forged)).toBeUndefined();
    expect(signed).toBe(3); // a forged token is checked every time, never remembered
    cache.read(token(2));
    cache.read(token(3)); // full: starts over
    signed = 0;
    expect(cache.read(token(1))).toEqual({ linkId: 1, device: 'd', issuedAt: 1 });
    expect(signed).toBe(1);
  });

  it('puts the token on every segment and init URI and nowhere else', () => {
    const playlist = ['#EXTM3U', '#EXT-X-MAP:URI="init-0.mp4"', '#EXTINF:1.0,', 's0-1.m4s', '#EXT-X-DISCONTINUITY', '#EXTINF:1.0,', 's1-2.m4s', ''].join('\n');
    expect(withViewerToken(playlist, 'a.b').split('\n')).toEqual([
      '#EXTM3U', '#EXT-X-MAP:URI="init-0.mp4?v=a.b"', '#EXTINF:1.0,', 's0-1.m4s?v=a.b', '#EXT-X-DISCONTINUITY', '#EXTINF:1.0,', 's1-2.m4s?v=a.b', '',
    ]);
  });

  it('adds the token to LL-HLS part URIs too', () => {
    const playlist = '#EXTM3U\n#EXT-X-PART:DURATION=0.520,URI="p1-3.ts",INDEPENDENT=YES\n#EXTINF:1.000,\ns1-3.ts\n';
    expect(withViewerToken(playlist, 'a.b').split('\n')).toEqual([
      '#EXTM3U', '#EXT-X-PART:DURATION=0.520,URI="p1-3.ts?v=a.b",INDEPENDENT=YES', '#EXTINF:1.000,', 's1-3.ts?v=a.b', '',
    ]);
  });
});
