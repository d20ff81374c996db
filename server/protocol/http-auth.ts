// HTTP authentication as cameras speak it, over HTTP (snapshots) and RTSP (probe, relay), which borrows HTTP's:
// WWW-Authenticate challenges (RFC 7235), Basic (RFC 7617) and Digest (RFC 7616; RFC 2617 and RFC 2069 servers
// too). One copy for every client in the gateway: the probe, the snapshot fetch and node-media-server's relay
// client each had their own, and they disagreed (which values are quoted, whether quotes are escaped, whether a
// Digest with another algorithm is hashed with MD5 anyway, one nc for every request).
//
// Quoting (RFC 7616 §3.4): username, realm, nonce, uri, response, cnonce and opaque are quoted-strings, with `"` and
// `\` escaped; algorithm, qop and nc are tokens and never quoted (some cameras refuse `qop="auth"`).
import { createHash, randomBytes } from 'node:crypto';

export interface Credentials {
  username: string;
  password: string;
}

/** One challenge: the scheme in lower case, its parameters with lower-case names and unquoted values. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Answers one challenge, request after request. */
export interface Authorizer {
  readonly scheme: 'basic' | 'digest';
  /** The Authorization value for one request (`uri` as in the request line). Digest counts its uses (nc). */
  authorization(method: string, uri: string): string;
}

export interface AuthorizerOptions {
  /** Client nonces; random by default. Only for the RFC's test vectors. */
  cnonce?: () => string;
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const SPACE = /[ \t]*/y;

/**
 * Every challenge in WWW-Authenticate values. One header may carry several (`Digest realm="a", nonce="b", Basic
 * realm="a"`, RFC 7235 §4.1) and cameras send one per header, so values are read as one list. Never throws:
 * what cannot be read ends that value.
 */
export function parseChallenges(values: readonly string[]): Challenge[] {
  const out: Challenge[] = [];
  for (const s of values) {
    let current: Challenge | null = null;
    let i = 0;
    while (i < s.length) {
      while (i < s.length && (s[i] === ',' || s[i] === ' ' || s[i] === '\t')) i++;
      const name = match(TOKEN, s, i);
      if (name === null) break;
      const afterName = skipSpace(s, i + name.length);
      if (s[afterName] === '=' && current) {
        const [value, next] = readValue(s, skipSpace(s, afterName + 1));
        current.params[name.toLowerCase()] = value;
        i = next;
      } else {
        // A name not followed by '=' starts the next challenge (a scheme); a token68 after it (`Negotiate abc==`)
        // reads as a parameter of that scheme, which nobody here asks for.
        current = { scheme: name.toLowerCase(), params: {} };
        out.push(current);
        i = afterName;
      }
    }
  }
  return out;
}

function match(re: RegExp, s: string, at: number): string | null {
  re.lastIndex = at;
  return re.exec(s)?.[0] ?? null;
}

function skipSpace(s: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(s);
  return SPACE.lastIndex;
}

/** A quoted-string (with its quoted-pairs undone) or a bare value up to the next comma or space. */
function readValue(s: string, at: number): [string, number] {
  if (s[at] !== '"') {
    let end = at;
    while (end < s.length && s[end] !== ',' && s[end] !== ' ' && s[end] !== '\t') end++;
    return [s.slice(at, end), end];
  }
  let value = '';
  let i = at + 1;
  for (; i < s.length && s[i] !== '"'; i++) value += s[i] === '\\' && i + 1 < s.length ? s[++i] : s[i];
  return [value, i + 1];
}

/** A quoted-string: `"` and `\` escaped (RFC 7230 §3.2.6). Control characters cannot be in one and are dropped:
 * a CR LF in a stored username must not become a header of its own (the camera then refuses the credentials). */
export function quoted(value: string): string {
  return `"${value.replace(/[\x00-\x1f\x7f]/g, '').replace(/["\\]/g, (ch) => `\\${ch}`)}"`;
}

const HASHES: Record<string, 'md5' | 'sha256'> = { 'MD5': 'md5', 'MD5-SESS': 'md5', 'SHA-256': 'sha256', 'SHA-256-SESS': 'sha256' };

/**
 * The answer to the strongest challenge offered: the first Digest we can answer (MD5 or SHA-256, plain or -sess;
 * qop `auth` or none, as RFC 7616 §3.7 asks clients to take the first they support), else Basic. Undefined when
 * neither is there; a Digest asking only for `auth-int` or another algorithm is not answered with the wrong hash.
 */
export function chooseAuthorizer(challenges: readonly Challenge[], credentials: Credentials, opts: AuthorizerOptions = {}): Authorizer | undefined {
  for (const c of challenges) {
    if (c.scheme !== 'digest') continue;
    const digest = digestAuthorizer(c.params, credentials, opts.cnonce ?? (() => randomBytes(16).toString('hex')));
    if (digest) return digest;
  }
  if (challenges.some((c) => c.scheme === 'basic')) {
    const value = `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`;
    return { scheme: 'basic', authorization: () => value };
  }
  return undefined;
}

function digestAuthorizer(p: Record<string, string>, creds: Credentials, cnonce: () => string): Authorizer | undefined {
  const { realm, nonce, opaque } = p;
  if (realm === undefined || !nonce) return undefined;
  const algorithm = p.algorithm;
  const hashName = HASHES[(algorithm ?? 'MD5').toUpperCase()];
  if (!hashName) return undefined;
  const offered = p.qop?.split(',').map((q) => q.trim().toLowerCase());
  if (offered && !offered.includes('auth')) return undefined; // auth-int only: it would hash the body
  const qop = offered ? 'auth' : undefined;
  const h = (s: string) => createHash(hashName).update(s, 'utf8').digest('hex');
  let ha1 = h(`${creds.username}:${realm}:${creds.password}`);
  // -sess: the session key takes the first client nonce and stays (RFC 7616 §3.4.2).
  const sessionCnonce = algorithm?.toUpperCase().endsWith('-SESS') ? cnonce() : undefined;
  if (sessionCnonce) ha1 = h(`${ha1}:${nonce}:${sessionCnonce}`);
  let uses = 0;
  return {
    scheme: 'digest',
    authorization(method, uri) {
      const ha2 = h(`${method}:${uri}`);
      const fields = [`username=${quoted(creds.username)}`, `realm=${quoted(realm)}`, `nonce=${quoted(nonce)}`, `uri=${quoted(uri)}`];
      if (qop || sessionCnonce) {
        const nc = (++uses).toString(16).padStart(8, '0');
        const cn = sessionCnonce ?? cnonce();
        const response = qop ? h(`${ha1}:${nonce}:${nc}:${cn}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
        fields.push(`response=${quoted(response)}`);
        if (qop) fields.push(`qop=${qop}`, `nc=${nc}`);
        fields.push(`cnonce=${quoted(cn)}`);
      } else {
        fields.push(`response=${quoted(h(`${ha1}:${nonce}:${ha2}`))}`);
      }
      // The algorithm is echoed as the server named it (a token, so unquoted, even if it quoted it).
      if (algorithm) fields.push(`algorithm=${algorithm}`);
      if (opaque !== undefined) fields.push(`opaque=${quoted(opaque)}`);
      return `Digest ${fields.join(', ')}`;
    },
  };
}
