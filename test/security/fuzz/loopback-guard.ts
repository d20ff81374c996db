// Keeps fuzzed requests from sending traffic anywhere but loopback. Routes that start real work (RTSP probes,
// cameras by URL, discovery jobs, catalogue imports whose URLs a live relay would later open) get their address
// fields rewritten, after generation, to values that either fail validation or resolve to 127.0.0.0/8.
import { networkInterfaces } from 'node:os';
import { expandTargets } from '../../../server/discovery/ws-discovery/targets';

const LOOPBACK = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;
/** Port 9 (discard) on loopback: nothing listens there, so a probe or relay fails at once with "refused". */
const SAFE_AUTHORITY = '127.0.0.1:9';

function safeUrl(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    const u = new URL(value);
    if (LOOPBACK.test(u.hostname)) return value;
  } catch {
    // Not a URL for WHATWG: the server's own parse fails as well (400); but strip any authority-looking part anyway.
  }
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*/i, `$1${SAFE_AUTHORITY}`);
}

function safeTarget(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return expandTargets([value]).every((ip) => LOOPBACK.test(ip)) ? value : '127.0.0.1';
  } catch {
    return value; // the server refuses it with 400 too: nothing is sent
  }
}

/** Multicast jobs only on an interface that does not exist here (never lo: no multicast, even on loopback). */
function safeInterface(value: unknown): unknown {
  return typeof value === 'string' && value in networkInterfaces() ? `nope-${value}`.slice(0, 32) : value;
}

const GUARDED = new Set(['POST /api/discovery/rtsp/probe', 'POST /api/discovery/rtsp/cameras', 'POST /api/discovery/jobs', 'POST /api/catalogue/import']);

/** Rewrites a parsed JSON body in place of the fuzzed one; other routes' bodies pass unchanged. */
export function guardBody(route: string, body: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body) || !GUARDED.has(route)) return body;
  const b = { ...(body as Record<string, unknown>) };
  if (route === 'POST /api/discovery/rtsp/probe' || route === 'POST /api/discovery/rtsp/cameras') b.url = safeUrl(b.url);
  // Adding by URL probes the sub-stream (子码流) too.
  if (route === 'POST /api/discovery/rtsp/cameras' && 'subStreamUrl' in b) b.subStreamUrl = safeUrl(b.subStreamUrl);
  if (route === 'POST /api/discovery/jobs') {
    if (Array.isArray(b.targets)) b.targets = b.targets.map(safeTarget);
    b.interface = safeInterface(b.interface);
  }
  if (route === 'POST /api/catalogue/import' && typeof b.content === 'string') {
    // Any scheme://authority in the file becomes loopback: an imported camera's URL is what a relay opens later.
    b.content = b.content.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s,"'?#]*/gi, `$1${SAFE_AUTHORITY}`);
  }
  return b;
}

/** Raw payload text → guarded text; bodies that are not JSON objects are left as they are (nothing can act on them). */
export function guardPayload(route: string, payload: string | Buffer | undefined): string | Buffer | undefined {
  if (typeof payload !== 'string') return payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    // Unparseable JSON is refused before any handler runs; text bodies under another content type are too.
    return /:\/\//.test(payload) && /rtsp|discovery|catalogue/.test(route) ? payload.replace(/:\/\/[^/\s,"'?#]*/g, `://${SAFE_AUTHORITY}`) : payload;
  }
  const guarded = guardBody(route, parsed) as Record<string, unknown>;
  const original = parsed as Record<string, unknown>;
  // Re-serialise only when an address field changed (a deeply nested body would not even stringify again).
  const changed = guarded !== parsed && ['url', 'subStreamUrl', 'targets', 'interface', 'content'].some((k) => JSON.stringify(guarded[k]) !== JSON.stringify(original[k]));
  return changed ? JSON.stringify(guarded) : payload;
}
