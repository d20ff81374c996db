// Fetches a camera's own JPEG snapshot (the ONVIF GetSnapshotUri address) the way cameras expect: a plain GET,
// then, on 401, once more with Digest (preferred) or Basic answering the camera's challenge
// (server/protocol/http-auth.ts). Credentials travel only in the Authorization header of that second request:
// never in a URL, an error message or a log line.
// Redirects are not followed (a redirect could carry the Authorization elsewhere). The answer must say image/jpeg,
// start with the JPEG magic and stay under a size cap; everything is bounded by one deadline.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { chooseAuthorizer, parseChallenges } from '../protocol/http-auth';
import { SnapshotError } from './errors';

export interface SnapshotFetchTarget {
  /** http(s) URL without credentials (stored so, see migration 003). */
  url: string;
  username?: string;
  password?: string;
}

export interface SnapshotFetchOptions {
  /** One deadline for the whole exchange, challenge included. */
  timeoutMs?: number;
  maxBytes?: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
/** A 4K camera's JPEG is ~1-2 MB; anything far beyond is not a snapshot. */
export const DEFAULT_MAX_SNAPSHOT_BYTES = 4 * 1024 * 1024;

interface Answer {
  status: number;
  contentType: string;
  challenges: string[];
  body: Buffer;
}

export async function fetchSnapshot(target: SnapshotFetchTarget, opts: SnapshotFetchOptions = {}): Promise<Buffer> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
  let url: URL;
  try {
    url = new URL(target.url);
  } catch {
    throw new SnapshotError('bad snapshot url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new SnapshotError('bad snapshot url');
  // Whatever sits in the stored URL, credentials go only through the header.
  url.username = '';
  url.password = '';
  const deadline = Date.now() + timeoutMs;

  let answer = await get(url, undefined, deadline, maxBytes);
  if (answer.status === 401 && target.username !== undefined && target.password !== undefined) {
    const auth = chooseAuthorizer(parseChallenges(answer.challenges), { username: target.username, password: target.password });
    if (auth) answer = await get(url, auth.authorization('GET', url.pathname + url.search), deadline, maxBytes);
  }
  if (answer.status === 401 || answer.status === 403) throw new SnapshotError('unauthorized');
  if (answer.status === 404) throw new SnapshotError('not found');
  if (answer.status !== 200) throw new SnapshotError(`http ${answer.status}`);
  if (!/^image\/jpe?g\b/i.test(answer.contentType)) throw new SnapshotError('not a jpeg');
  if (!isJpeg(answer.body)) throw new SnapshotError('not a jpeg');
  return answer.body;
}

export function isJpeg(body: Uint8Array): boolean {
  return body.length > 4 && body[0] === 0xff && body[1] === 0xd8 && body[2] === 0xff;
}

function get(url: URL, authorization: string | undefined, deadline: number, maxBytes: number): Promise<Answer> {
  const left = deadline - Date.now();
  if (left <= 0) return Promise.reject(new SnapshotError('timeout'));
  return new Promise<Answer>((resolve, reject) => {
    let settled = false;
    const fail = (err: SnapshotError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(err);
    };
    const headers: Record<string, string> = { accept: 'image/jpeg', 'user-agent': 'county-console-snapshot' };
    if (authorization) headers.authorization = authorization;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    // A fresh connection per request (no agent): a camera's web server is often single-threaded and keep-alive
    // sockets held for thumbnails would be sockets taken from its own operators.
    const req = send(url, { method: 'GET', headers, agent: false }, (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const challenges = res.headersDistinct['www-authenticate'] ?? [];
      const contentType = String(res.headers['content-type'] ?? '');
      const declared = Number(res.headers['content-length']);
      if (status === 200 && Number.isFinite(declared) && declared > maxBytes) return fail(new SnapshotError('too large'));
      // Bodies of refusals are read only to free the socket, and only a little of them.
      const cap = status === 200 ? maxBytes : 64 * 1024;
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) {
          if (status === 200) fail(new SnapshotError('too large'));
          else res.destroy();
          return;
        }
        chunks.push(chunk);
      });
      const done = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({ status, contentType, challenges, body: Buffer.concat(chunks) });
      };
      res.on('end', done);
      res.on('close', () => (status === 200 && !res.complete ? fail(new SnapshotError('closed')) : done()));
      res.on('error', () => fail(new SnapshotError('closed')));
    });
    const timer = setTimeout(() => fail(new SnapshotError('timeout')), left);
    req.on('error', (err: NodeJS.ErrnoException) => fail(new SnapshotError(classify(err))));
    req.end();
  });
}

function classify(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ECONNREFUSED': return 'refused';
    case 'ETIMEDOUT': return 'timeout';
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EADDRNOTAVAIL': case 'ENOTFOUND': case 'EAI_AGAIN': return 'unreachable';
    case 'ECONNRESET': case 'EPIPE': return 'closed';
    // HTTPS cameras often carry a self-signed certificate; we do not send credentials to one we cannot verify.
    case 'DEPTH_ZERO_SELF_SIGNED_CERT': case 'SELF_SIGNED_CERT_IN_CHAIN': case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY': case 'CERT_HAS_EXPIRED': case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return 'certificate not trusted';
    default: return 'protocol error';
  }
}
