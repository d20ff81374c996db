// The resident page's requests: POST /api/share/open, and 随手拍 reports with the viewer token. No cookie, no CSRF header.
import { ApiError, parseRetryAfter } from '../api/http';
import type { MyReport, ResidentView } from './resident-logic';

export function openShare(token: string, device: string, signal?: AbortSignal): Promise<ResidentView> {
  return residentFetch<ResidentView>('POST', '/api/share/open', { token, device }, signal);
}

/** 随手拍: report a problem on one of the link's cameras; the server attaches the camera's frame itself. */
export function sendReport(viewerToken: string, body: { cameraId: number; category: string; note?: string }): Promise<MyReport> {
  return residentFetch<MyReport>('POST', `/api/share/reports?v=${encodeURIComponent(viewerToken)}`, body);
}

/** This phone's own reports through the link, each received or handled. */
export async function myReports(viewerToken: string, signal?: AbortSignal): Promise<MyReport[]> {
  return (await residentFetch<{ items: MyReport[] }>('GET', `/api/share/reports?v=${encodeURIComponent(viewerToken)}`, undefined, signal)).items;
}

/** Resident requests: no cookie, no CSRF header (the token is the credential); errors as ApiError. */
async function residentFetch<T>(method: 'GET' | 'POST', url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { error: 'NetworkError', message: err instanceof Error ? err.message : String(err) });
  }
  const text = await response.text();
  let answer: unknown;
  try {
    answer = text ? JSON.parse(text) : undefined;
  } catch {
    answer = undefined;
  }
  if (!response.ok) {
    const error = answer && typeof answer === 'object' ? (answer as { message?: string; error?: string }) : {};
    throw new ApiError(response.status, { message: error.message ?? '', error: error.error ?? response.statusText }, parseRetryAfter(response.headers.get('retry-after')));
  }
  return answer as T;
}

/** crypto.randomUUID where the page is a secure context (https, loopback); random bytes otherwise. */
export function randomDeviceId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
