import { afterEach, describe, expect, it, vi } from 'vitest';
import { translate } from '../i18n';
import { api, ApiError, buildUrl, describeError, onUnauthorized, parseRetryAfter, request, setCsrfToken } from './http';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', key, params);

function stubFetch(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) =>
    new Response(body === undefined ? null : typeof body === 'string' ? body : JSON.stringify(body), { status, headers }),
  );
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
});

describe('buildUrl', () => {
  it('drops empty values and encodes the rest', () => {
    expect(buildUrl('/api/cameras', { q: '桥头', orgUnitId: 3, network: undefined, status: '' })).toBe(
      '/api/cameras?q=%E6%A1%A5%E5%A4%B4&orgUnitId=3',
    );
    expect(buildUrl('/api/org/units', { parentId: undefined })).toBe('/api/org/units');
  });
});

describe('request', () => {
  it('sends the CSRF token on unsafe methods only, with the same-origin cookie', async () => {
    setCsrfToken('tok');
    const fetchMock = stubFetch(204);
    await request('POST', '/api/auth/logout');
    await request('GET', '/api/networks').catch(() => {});
    const [, post] = fetchMock.mock.calls[0];
    const [, get] = fetchMock.mock.calls[1];
    expect((post!.headers as Record<string, string>)['x-csrf-token']).toBe('tok');
    expect(post!.credentials).toBe('same-origin');
    expect((get!.headers as Record<string, string>)['x-csrf-token']).toBeUndefined();
  });

  it('turns an ErrorBody into a typed ApiError', async () => {
    stubFetch(400, { statusCode: 400, error: 'Bad Request', message: 'querystring/limit must be <= 500', field: 'limit' });
    const err = await api.cameras({ limit: 1000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, error: 'Bad Request', field: 'limit', message: 'querystring/limit must be <= 500' });
    expect(describeError(err, t)).toBe('querystring/limit must be <= 500');
  });

  it('reads Retry-After on 429 and survives non-JSON error pages', async () => {
    stubFetch(429, '<html>slow down</html>', { 'retry-after': '42' });
    const err = (await api.login('a', 'b').catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(429);
    expect(err.retryAfter).toBe(42);
  });

  it('broadcasts 401 except for the session probe and login', async () => {
    const listener = vi.fn();
    const off = onUnauthorized(listener);
    stubFetch(401, { statusCode: 401, error: 'Unauthorized', message: 'Login required' });
    await api.me().catch(() => {});
    await api.login('a', 'b').catch(() => {});
    expect(listener).not.toHaveBeenCalled();
    await api.networks().catch(() => {});
    expect(listener).toHaveBeenCalledTimes(1);
    off();
  });

  it('reports an unreachable server as status 0 with a localised message', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    const err = await api.networks().catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 0 });
    expect(describeError(err, t)).toBe('无法连接服务器，请检查网络');
  });

  it('hides 5xx detail behind a localised message', () => {
    expect(describeError(new ApiError(500, { message: 'SQLITE_BUSY' }), t)).toBe('服务器错误（500）');
  });
});

describe('parseRetryAfter', () => {
  it('accepts seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(new Date(Date.now() + 5_000).toUTCString())).toBeGreaterThanOrEqual(4);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
