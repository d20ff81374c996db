// The resident page's one request: POST /api/share/open. Public: no cookie, no CSRF header.
import { ApiError, parseRetryAfter } from '../api/http';
import type { ResidentView } from './resident-logic';

export async function openShare(token: string, device: string, signal?: AbortSignal): Promise<ResidentView> {
  let response: Response;
  try {
    response = await fetch('/api/share/open', {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      body: JSON.stringify({ token, device }),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { error: 'NetworkError', message: err instanceof Error ? err.message : String(err) });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = body && typeof body === 'object' ? (body as { message?: string; error?: string }) : {};
    throw new ApiError(response.status, { message: error.message ?? '', error: error.error ?? response.statusText }, parseRetryAfter(response.headers.get('retry-after')));
  }
  return body as ResidentView;
}

/** crypto.randomUUID where the page is a secure context (https, loopback); random bytes otherwise. */
export function randomDeviceId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
