import { describe, expect, it } from 'vitest';
import { chinaMinutes, inDailyWindow, linkState } from '../../server/share/policy';
import { issueViewerToken, readViewerToken, ViewerTokenCache } from '../../server/share/viewer-token';
import { withViewerToken } from '../../server/share/playlist';
import { createHmac } from 'node:crypto';

const at = (utc: string) => new Date(`2026-11-23T${utc}:00Z`);

describe('share link policy', () => {
  it('reads the clock in China time', () => {
    expect(chinaMinutes(at('00:30'))).toBe(8 * 60 + 30);
    expect(chinaMinutes(at('17:00'))).toBe(60);
  });

  it('opens daily windows, including ones that wrap past midnight', () => {
    expect(inDailyWindow('08:00', '20:00', at('01:00'))).toBe(true); // 09:00 CST
    expect(inDailyWindow('08:00', '20:00', at('13:00'))).toBe(false); // 21:00 CST
    expect(inDailyWindow('22:00', '06:00', at('15:00'))).toBe(true); // 23:00 CST
    expect(inDailyWindow('22:00', '06:00', at('21:59'))).toBe(true); // 05:59 CST
    expect(inDailyWindow('22:00', '06:00', at('22:00'))).toBe(false); // 06:00 CST
  });

  it('ranks revoked over expired over outside the window', () => {
    const terms = { expiresAt: '2026-11-24T00:00:00Z', revokedAt: null, windowStart: '08:00', windowEnd: '20:00' };
    expect(linkState(terms, at('01:00'))).toBe('active');
    expect(linkState(terms, at('13:00'))).toBe('outside-window');
    expect(linkState({ ...terms, expiresAt: '2026-11-23T00:00:00Z' }, at('01:00'))).toBe('expired');
    expect(linkState({ ...terms, revokedAt: '2026-11-23T00:30:00Z', expiresAt: '2026-11-23T00:00:00Z' }, at('01:00'))).toBe('revoked');
  });
});

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
});
