// HTTP-style Basic and Digest authentication (RFC 2617/7616, MD5), shared by RTSP and the camera's HTTP side
// (snapshot, ONVIF with HTTP Digest). Like most cameras we offer Digest first, Basic second.
import { createHash, randomBytes } from 'node:crypto';

/** 'open': the camera has no password (some installers leave it so), every request passes. */
export type AuthResult = 'basic' | 'digest' | 'open' | 'missing' | 'rejected';

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export interface Credentials {
  username: string;
  password: string;
  /** When true every credential is refused (the wrong-password fault). */
  rejectAll?: boolean;
}

export class HttpAuth {
  private readonly nonce = randomBytes(16).toString('hex');

  constructor(
    readonly realm: string,
    private readonly creds: () => Credentials,
  ) {}

  /** Values for WWW-Authenticate headers, one header each. */
  challenges(): string[] {
    return [`Digest realm="${this.realm}", nonce="${this.nonce}", algorithm="MD5", qop="auth"`, `Basic realm="${this.realm}"`];
  }

  check(method: string, authorization: string | undefined): AuthResult {
    const { username, password, rejectAll } = this.creds();
    if (!password && !rejectAll) return 'open';
    if (!authorization) return 'missing';
    const space = authorization.indexOf(' ');
    const scheme = authorization.slice(0, space).toLowerCase();
    const rest = authorization.slice(space + 1).trim();
    if (scheme === 'basic') {
      const decoded = Buffer.from(rest, 'base64').toString('utf8');
      return !rejectAll && decoded === `${username}:${password}` ? 'basic' : 'rejected';
    }
    if (scheme !== 'digest') return 'rejected';
    const p = parseDigestParams(rest);
    if (rejectAll || p.username !== username || p.nonce !== this.nonce || p.realm !== this.realm || !p.uri) return 'rejected';
    const ha1 = md5(`${username}:${this.realm}:${password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop
      ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
      : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response ? 'digest' : 'rejected';
  }
}

/** key=value and key="quoted, value" pairs separated by commas. */
export function parseDigestParams(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g;
  for (let m = re.exec(s); m; m = re.exec(s)) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}
