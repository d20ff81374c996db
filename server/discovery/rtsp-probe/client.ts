// A minimal RTSP/1.0 client for probing: one TCP (or TLS for rtsps) connection, requests in sequence, Basic or
// Digest answered from the server's challenge (server/protocol/http-auth.ts, as the relay does). No media is ever
// set up. Every failure becomes an RtspProbeError with a kind the API reports (refused, timeout, unauthorized,
// not-rtsp, …), and its message never contains the password.
import type { Socket } from 'node:net';
import type { ProbeFailure } from '../../contracts/catalogue';
import { chooseAuthorizer, parseChallenges, type Credentials } from '../../protocol/http-auth';
import { connectRtsp, rtspEndpoint, type RtspEndpoint } from '../../protocol/rtsp-connect';

export class RtspProbeError extends Error {
  constructor(readonly kind: ProbeFailure, message: string, readonly status?: number) {
    super(message);
  }
}

export interface RtspResponse {
  status: number;
  reason: string;
  headers: Map<string, string[]>;
  body: string;
}

export type RtspCredentials = Credentials;

const MAX_RESPONSE = 256 * 1024;

function networkError(err: NodeJS.ErrnoException, where: string): RtspProbeError {
  switch (err.code) {
    case 'ECONNREFUSED': return new RtspProbeError('refused', `${where} refused the connection (nothing listening on that port)`);
    case 'ETIMEDOUT': return new RtspProbeError('timeout', `${where} did not answer in time`);
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'ENOTFOUND': case 'EAI_AGAIN': case 'EADDRNOTAVAIL':
      return new RtspProbeError('unreachable', `${where} is unreachable (${err.code})`);
    case 'ECONNRESET': case 'EPIPE': return new RtspProbeError('bad-response', `${where} closed the connection (${err.code})`);
    default: return new RtspProbeError('unreachable', `${where}: ${err.code ?? err.message}`);
  }
}

export class RtspConnection {
  private buffer = Buffer.alloc(0);
  private cseq = 0;
  private waiter: { resolve: (r: RtspResponse) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;
  private authorization: ((method: string, uri: string) => string) | undefined;
  authScheme: 'none' | 'basic' | 'digest' = 'none';

  private constructor(private readonly socket: Socket, private readonly where: string, private readonly deadline: number) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(networkError(err, where)));
    socket.on('close', () => this.fail(new RtspProbeError('bad-response', `${where} closed the connection`)));
  }

  /** Connects to the URL's host (port 554, or 322 for rtsps: server/protocol/rtsp-connect.ts) before `deadline`
   * (ms since epoch). */
  static open(url: URL, deadline: number): Promise<RtspConnection> {
    let endpoint: RtspEndpoint;
    try {
      endpoint = rtspEndpoint(url);
    } catch {
      return Promise.reject(new RtspProbeError('not-rtsp', `${url.protocol} is not rtsp: or rtsps:`));
    }
    const where = `${endpoint.host}:${endpoint.port}`;
    return new Promise((resolve, reject) => {
      const socket = connectRtsp(endpoint, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new RtspConnection(socket, where, deadline));
      });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new RtspProbeError('timeout', `${where} did not accept a connection in time`));
      }, Math.max(1, deadline - Date.now()));
      socket.once('error', (err) => {
        clearTimeout(timer);
        socket.destroy();
        reject(networkError(err, where));
      });
    });
  }

  close(): void {
    this.socket.destroy();
  }

  /** Sends a request; on 401 answers the challenge once with `credentials` and sends it again. */
  async request(method: string, uri: string, credentials: RtspCredentials | undefined, extra: Record<string, string> = {}): Promise<RtspResponse> {
    let res = await this.send(method, uri, extra);
    if (res.status !== 401) return res;
    if (!credentials) throw new RtspProbeError('unauthorized', `${this.where} requires credentials (401) and none were given`, 401);
    this.useChallenge(res, credentials);
    res = await this.send(method, uri, extra);
    if (res.status === 401) throw new RtspProbeError('unauthorized', `${this.where} refused the credentials (401)`, 401);
    return res;
  }

  private useChallenge(res: RtspResponse, creds: RtspCredentials): void {
    const auth = chooseAuthorizer(parseChallenges(res.headers.get('www-authenticate') ?? []), creds);
    if (!auth) throw new RtspProbeError('bad-response', `${this.where} answered 401 without a Basic or Digest challenge we can answer`, 401);
    this.authScheme = auth.scheme;
    this.authorization = (method, uri) => auth.authorization(method, uri);
  }

  private send(method: string, uri: string, extra: Record<string, string>): Promise<RtspResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const headers: Record<string, string> = { CSeq: String(++this.cseq), 'User-Agent': 'county-console-probe/1', ...extra };
    if (this.authorization) headers.Authorization = this.authorization(method, uri);
    const text = `${method} ${uri} RTSP/1.0\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new RtspProbeError('timeout', `${this.where} did not answer ${method} in time`));
        this.close();
      }, Math.max(1, this.deadline - Date.now()));
      this.waiter = {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      this.socket.write(text);
      this.parse();
    });
  }

  private fail(err: Error): void {
    this.failure ??= err;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(this.failure);
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_RESPONSE) {
      this.fail(new RtspProbeError('bad-response', `${this.where} sent an oversized response`));
      this.close();
      return;
    }
    this.parse();
  }

  private parse(): void {
    if (!this.waiter || this.buffer.length === 0) return;
    // Anything but "RTSP/1.x" at the start (an HTTP server, SSH banner, binary) is not an RTSP server.
    const head = this.buffer.subarray(0, 7).toString('latin1');
    if (!'RTSP/1.'.startsWith(head) && !head.startsWith('RTSP/1.')) {
      const sample = this.buffer.subarray(0, 40).toString('latin1').replace(/[^\x20-\x7e]/g, '.');
      this.fail(new RtspProbeError('not-rtsp', `${this.where} does not speak RTSP (answered "${sample}")`));
      this.close();
      return;
    }
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const lines = this.buffer.subarray(0, end).toString('utf8').split('\r\n');
    const status = /^RTSP\/1\.\d (\d{3}) ?(.*)$/.exec(lines[0]);
    if (!status) {
      this.fail(new RtspProbeError('not-rtsp', `${this.where} sent a malformed status line`));
      this.close();
      return;
    }
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const key = line.slice(0, colon).trim().toLowerCase();
      headers.set(key, [...(headers.get(key) ?? []), line.slice(colon + 1).trim()]);
    }
    // The relay's client matches answers by CSeq and refuses one without it (server/media/rtsp/interleaved.ts):
    // a probe that passed such a camera would promise video the relay cannot play.
    if (headers.get('cseq')?.[0] !== String(this.cseq)) {
      this.fail(new RtspProbeError('bad-response', `${this.where} answered without the request's CSeq`, Number(status[1])));
      this.close();
      return;
    }
    const length = Number(headers.get('content-length')?.[0] ?? 0) || 0;
    if (this.buffer.length < end + 4 + length) return;
    const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
    this.buffer = this.buffer.subarray(end + 4 + length);
    const w = this.waiter;
    this.waiter = undefined;
    w.resolve({ status: Number(status[1]), reason: status[2], headers, body });
  }
}
