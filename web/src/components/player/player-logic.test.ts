import { describe, expect, it } from 'vitest';
import { errorBodyMessage, HEVC_PROBE, hevcBlocked, isHevc, recoveryFor, retryDelay } from './player-logic';

describe('HEVC detection', () => {
  it('recognises hvc1/hev1 codec strings', () => {
    expect(isHevc('hvc1.1.6.L93.90')).toBe(true);
    expect(isHevc('hev1.1.6.L120.B0')).toBe(true);
    expect(isHevc('avc1.64001f,mp4a.40.2')).toBe(false);
    expect(isHevc('avc1.64001f,hvc1.1.6.L93.90')).toBe(true);
    expect(isHevc(undefined)).toBe(false);
  });

  it('blocks HEVC only when the browser cannot decode it', () => {
    const none = () => false;
    const all = () => true;
    const probeOnly = (t: string) => t === HEVC_PROBE;
    expect(hevcBlocked(['hvc1.1.6.L93.90'], none)).toBe(true);
    expect(hevcBlocked(['hvc1.1.6.L93.90'], all)).toBe(false);
    expect(hevcBlocked(['hvc1.1.6.L93.90'], probeOnly)).toBe(false);
    expect(hevcBlocked(['avc1.64001f'], none)).toBe(false);
    expect(hevcBlocked([undefined, 'hev1.1.6.L93.B0'], null)).toBe(true);
  });
});

describe('fatal error recovery', () => {
  it('retries network errors with capped backoff', () => {
    expect(retryDelay(0)).toBe(2000);
    expect(retryDelay(2)).toBe(8000);
    expect(retryDelay(10)).toBe(15000);
    const r = recoveryFor({ type: 'networkError', details: 'fragLoadError' }, 1, 0);
    expect(r).toMatchObject({ kind: 'reload', delayMs: 4000, manifest: false, reason: { key: 'player.retrying', params: { seconds: 4 } } });
    expect(recoveryFor({ type: 'networkError', details: 'manifestLoadError' }, 0, 0)).toMatchObject({ kind: 'reload', manifest: true });
  });

  it('shows the server reason while retrying a 5xx', () => {
    const r = recoveryFor({ type: 'networkError', details: 'manifestLoadError', httpStatus: 502, serverMessage: 'Camera 1 unavailable: refused' }, 0, 0);
    expect(r).toMatchObject({ kind: 'reload', reason: { key: 'player.retryingDetail', params: { detail: 'Camera 1 unavailable: refused', seconds: 2 } } });
  });

  it('treats 503 as relay busy and retries patiently', () => {
    const r = recoveryFor({ type: 'networkError', details: 'manifestLoadError', httpStatus: 503 }, 0, 0);
    expect(r).toMatchObject({ kind: 'reload', delayMs: 5000, reason: { key: 'player.relayBusy' } });
  });

  it('gives up on 4xx with the server message', () => {
    const r = recoveryFor({ type: 'networkError', details: 'manifestLoadError', httpStatus: 403, serverMessage: 'Camera outside your area' }, 0, 0);
    expect(r).toEqual({ kind: 'fail', reason: { key: 'player.loadError', params: { detail: 'Camera outside your area' } } });
    expect(recoveryFor({ type: 'networkError', details: 'manifestLoadError', httpStatus: 404 }, 0, 0)).toMatchObject({
      kind: 'fail', reason: { params: { detail: 'HTTP 404' } },
    });
  });

  it('recovers media errors twice, then fails', () => {
    expect(recoveryFor({ type: 'mediaError', details: 'bufferStalledError' }, 0, 0)).toEqual({ kind: 'recover-media' });
    expect(recoveryFor({ type: 'mediaError', details: 'bufferStalledError' }, 0, 1)).toEqual({ kind: 'recover-media' });
    expect(recoveryFor({ type: 'mediaError', details: 'bufferStalledError' }, 0, 2).kind).toBe('fail');
    expect(recoveryFor({ type: 'muxError', details: 'fragParsingError' }, 0, 0).kind).toBe('fail');
  });

  it('reads ErrorBody messages', () => {
    expect(errorBodyMessage('{"statusCode":403,"error":"Forbidden","message":"no"}')).toBe('no');
    expect(errorBodyMessage('<html>')).toBeUndefined();
    expect(errorBodyMessage(null)).toBeUndefined();
  });
});

describe('H.265 play path', () => {
  it('live playlists say whether this browser decodes HEVC; playback URLs are left alone', async () => {
    const { withHevcCapability } = await import('./player-logic');
    expect(withHevcCapability('/live/7/index.m3u8', false)).toBe('/live/7/index.m3u8?hevc=0');
    expect(withHevcCapability('/live/7/sub/index.m3u8?v=abcdefghijk', true)).toBe('/live/7/sub/index.m3u8?v=abcdefghijk&hevc=1');
    expect(withHevcCapability('/playback/7/index.m3u8?from=1&to=2', false)).toBe('/playback/7/index.m3u8?from=1&to=2');
  });

  it('names the path only for H.265 cameras', async () => {
    const { playPath } = await import('./player-logic');
    expect(playPath('transcoded', 'avc1.4d401e')).toBe('transcoded');
    expect(playPath('native', 'hvc1.1.6.L93.90')).toBe('native');
    expect(playPath(null, 'hev1.1.6.L93.B0')).toBe('native');
    expect(playPath('native', 'avc1.64001f')).toBeNull();
  });
});
