// The non-owner node's cache of proxied playlists and segments (server/cluster/proxy-cache.ts): one request to the
// owner for any number of concurrent viewers, answers reused within their TTL, failures and 404s never kept, and a
// bounded number of segments.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ProxyCache } from '../../server/cluster/proxy-cache';
import type { ServedFile } from '../../server/media/live-window';

const file = (n: number): ServedFile => ({ body: new Uint8Array([n]), contentType: 'video/mp2t' });

describe('proxy cache', () => {
  afterEach(() => vi.useRealTimers());

  it('shares one owner request among concurrent viewers and reuses it within the TTL only', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    const cache = new ProxyCache({ playlistTtlMs: 250 });
    let asked = 0;
    const load = async () => `#EXTM3U v${++asked}`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => cache.playlist('a|1|', load)));
    expect(new Set(answers)).toEqual(new Set(['#EXTM3U v1']));
    expect(asked).toBe(1);
    vi.setSystemTime(1_000_249);
    expect(await cache.playlist('a|1|', load)).toBe('#EXTM3U v1');
    vi.setSystemTime(1_000_250);
    expect(await cache.playlist('a|1|', load)).toBe('#EXTM3U v2');
    // Another blocking-reload position or another owner is another key.
    expect(await cache.playlist('a|1|7.', load)).toBe('#EXTM3U v3');
    expect(await cache.playlist('b|1|', load)).toBe('#EXTM3U v4');
  });

  it('does not keep a failure or a missing segment: the next ask tries again', async () => {
    const cache = new ProxyCache();
    await expect(cache.playlist('a|1|', () => Promise.reject(new Error('owner gone')))).rejects.toThrow('owner gone');
    expect(await cache.playlist('a|1|', async () => 'ok')).toBe('ok');
    expect(await cache.segment('a|1|s1-1.ts', async () => undefined)).toBeUndefined();
    expect(await cache.segment('a|1|s1-1.ts', async () => file(1))).toEqual(file(1));
    expect(await cache.segment('a|1|s1-1.ts', async () => file(2))).toEqual(file(1));
  });

  it('keeps at most maxSegments, dropping the oldest', async () => {
    const cache = new ProxyCache({ maxSegments: 3 });
    for (let i = 1; i <= 5; i++) await cache.segment(`a|1|s1-${i}.ts`, async () => file(i));
    let reloaded = 0;
    const again = (i: number) => cache.segment(`a|1|s1-${i}.ts`, async () => { reloaded++; return file(i + 100); });
    expect(await again(5)).toEqual(file(5));
    expect(await again(3)).toEqual(file(3));
    expect(reloaded).toBe(0);
    expect(await again(1)).toEqual(file(101));
    expect(reloaded).toBe(1);
  });
});
