// The one REST module: a fetch wrapper (JSON, same-origin cookie, CSRF header, typed errors) and the endpoints.
// Contract types come from the server with `import type` only, so no server code enters the bundle.
import type { Camera, CameraPage, CameraQuery, ErrorBody, Network, OrgUnit, SessionInfo } from '../../../server/contracts/api';
import type { MessageKey, Params } from '../i18n';

export type { Camera, CameraPage, CameraQuery, Network, OrgUnit, SessionInfo, User } from '../../../server/contracts/api';

/** An HTTP failure carrying the server's ErrorBody; status 0 means the server was not reached. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: string;
  readonly field: string | undefined;
  /** Seconds from a Retry-After header (429/503), when the server sent one. */
  readonly retryAfter: number | undefined;

  constructor(status: number, body: Partial<ErrorBody>, retryAfter?: number) {
    super(body.message || body.error || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.error = body.error ?? '';
    this.field = body.field;
    this.retryAfter = retryAfter;
  }
}

let csrfToken: string | null = null;
const unauthorizedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header for a request made outside request() (e.g. a WHEP offer, which is SDP, not JSON). */
export function csrfHeader(): Record<string, string> {
  return csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** Called when a request other than login/me gets 401: the session expired under us. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not broadcast a 401 (login and session probe expect it). */
  quiet401?: boolean;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, { error: 'NetworkError', message: err instanceof Error ? err.message : String(err) });
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!response.ok) {
    const error = new ApiError(response.status, parseErrorBody(text, response), parseRetryAfter(response.headers.get('retry-after')));
    if (response.status === 401 && !options.quiet401) for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

function parseErrorBody(text: string, response: Response): Partial<ErrorBody> {
  try {
    const body = JSON.parse(text) as unknown;
    if (body && typeof body === 'object') return body as Partial<ErrorBody>;
  } catch {
    /* not JSON: a proxy or gateway page */
  }
  return { statusCode: response.status, error: response.statusText };
}

export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** The message to show an operator for any thrown value, localised where the status says more than the text. */
export function describeError(err: unknown, t: (key: MessageKey, params?: Params) => string): string {
  if (!(err instanceof ApiError)) return err instanceof Error ? err.message : String(err);
  if (err.status === 0) return t('error.network');
  if (err.status === 401) return t('error.unauthorized');
  if (err.status >= 500) return t('error.server', { status: err.status });
  // 4xx: the server names what is wrong (and the field); that is the most useful text.
  return err.message || t('error.generic', { status: err.status });
}

export const isAbort = (err: unknown): boolean => err instanceof DOMException && err.name === 'AbortError';

// ---- Endpoints ------------------------------------------------------------------------------------------

export const api = {
  login: (username: string, password: string) =>
    request<SessionInfo>('POST', '/api/auth/login', { body: { username, password }, quiet401: true }),
  me: () => request<SessionInfo>('GET', '/api/auth/me', { quiet401: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { quiet401: true }),
  networks: (signal?: AbortSignal) => request<Network[]>('GET', '/api/networks', { signal }),
  orgUnits: (parentId?: number, signal?: AbortSignal) =>
    request<OrgUnit[]>('GET', '/api/org/units', { query: { parentId }, signal }),
  cameras: (query: CameraQuery, signal?: AbortSignal) =>
    request<CameraPage>('GET', '/api/cameras', { query: { ...query }, signal }),
};

/** A camera's live playlist: its main stream, or its sub-stream (子码流) for small tiles; the server plays the main
 * stream under /sub/ for a camera that has none. */
export const liveUrl = (camera: Pick<Camera, 'id'>, stream: 'main' | 'sub' = 'main'): string =>
  `/live/${camera.id}/${stream === 'sub' ? 'sub/' : ''}index.m3u8`;
