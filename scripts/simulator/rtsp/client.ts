// A tiny RTSP client for tests and benchmarks: shows exactly what a camera sends (status codes, headers, SDP,
// interleaved RTP), which ffmpeg hides. Digest and Basic auth; RTP over TCP only.
import { createHash } from 'node:crypto';
import { type Socket, connect } from 'node:net';

export interface RtspResponse {
  status: number;
  headers: Record<string, string[]>;
  body: string;
  header(name: string): string | undefined;
}

export interface RtpPacket {
  channel: number;
  payloadType: number;
  marker: boolean;
  seq: number;
  timestamp: number;
  ssrc: number;
  payload: Buffer;
  /** The whole packet, kept for RTCP (odd channels). */
  raw?: Buffer;
}

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

export interface ClientOptions {
  username: string;
  password: string;
  scheme?: 'digest' | 'basic';
  /** Keep every RTP packet in `packets` (tests); benchmarks only count. Default true. */
  keepPackets?: boolean;
}

export class RtspTestClient {
  readonly packets: RtpPacket[] = [];
  packetCount = 0;
  byteCount = 0;
  closed = false;
  private buf = Buffer.alloc(0);
  private cseq = 0;
  private pending: ((r: RtspResponse) => void) | undefined;
  private session: string | undefined;
  private challenge: Record<string, string> | undefined;

  private constructor(private readonly sock: Socket, private readonly url: string,
    private readonly creds?: ClientOptions) {
    sock.on('data', (c) => this.onData(c));
    sock.on('close', () => { this.closed = true; });
    sock.on('error', () => undefined);
  }

  static open(url: string, creds?: ClientOptions): Promise<RtspTestClient> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const sock = connect({ host: u.hostname, port: Number(u.port) || 554 }, () => {
        sock.off('error', reject);
        resolve(new RtspTestClient(sock, url, creds));
      });
      sock.once('error', reject);
    });
  }

  /** How long a request waits for its response before failing. */
  responseTimeoutMs = 10_000;

  /** Sends a request; on 401 with credentials, answers the challenge once (like real clients). */
  async request(method: string, uri = this.url, headers: Record<string, string> = {}): Promise<RtspResponse> {
    let res = await this.send(method, uri, headers);
    if (res.status === 401 && this.creds) {
      this.challenge = parseChallenge(res.headers['www-authenticate'] ?? [], this.creds.scheme ?? 'digest');
      res = await this.send(method, uri, headers);
    }
    const s = res.header('session');
    if (s) this.session = s.split(';')[0];
    return res;
  }

  /** The last PLAY response (its Range, Scale, RTP-Info). */
  lastPlay: RtspResponse | undefined;

  /** DESCRIBE, SETUP of every track (interleaved 0-1, 2-3), PLAY (with these headers). Returns the SDP. */
  async play(playHeaders: Record<string, string> = { Range: 'npt=0.000-' }): Promise<string> {
    const d = await this.request('DESCRIBE', this.url, { Accept: 'application/sdp' });
    if (d.status !== 200) throw new Error(`DESCRIBE ${d.status}`);
    const base = d.header('content-base') ?? this.url + '/';
    const controls = [...d.body.matchAll(/a=control:(trackID=\d+)/g)].map((m) => m[1]);
    for (const [i, c] of controls.entries()) {
      const s = await this.request('SETUP', base + c, { Transport: `RTP/AVP/TCP;unicast;interleaved=${i * 2}-${i * 2 + 1}` });
      if (s.status !== 200) throw new Error(`SETUP ${s.status}`);
    }
    const p = await this.request('PLAY', this.url, playHeaders);
    this.lastPlay = p;
    if (p.status !== 200) throw new Error(`PLAY ${p.status}`);
    return d.body;
  }

  close(): void {
    this.sock.destroy();
  }

  waitClosed(timeoutMs = 5000): Promise<boolean> {
    if (this.closed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), timeoutMs);
      this.sock.once('close', () => { clearTimeout(t); resolve(true); });
    });
  }

  private send(method: string, uri: string, headers: Record<string, string>): Promise<RtspResponse> {
    const lines = [`${method} ${uri} RTSP/1.0`, `CSeq: ${++this.cseq}`, 'User-Agent: sim-test'];
    if (this.session) lines.push(`Session: ${this.session}`);
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    const auth = this.authorization(method, uri);
    if (auth) lines.push(`Authorization: ${auth}`);
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('connection closed'));
      const t = setTimeout(() => reject(new Error(`${method}: no response`)), this.responseTimeoutMs);
      this.pending = (r) => { clearTimeout(t); resolve(r); };
      this.sock.write(lines.join('\r\n') + '\r\n\r\n');
    });
  }

  private authorization(method: string, uri: string): string | undefined {
    if (!this.creds || !this.challenge) return undefined;
    const { username, password } = this.creds;
    if (this.challenge.scheme === 'basic') return 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64');
    const { realm, nonce } = this.challenge;
    const response = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:${md5(`${method}:${uri}`)}`);
    return `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"`;
  }

  private onData(chunk: Buffer): void {
    this.buf = Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.buf.length && this.buf[0] === 0x24) {
        if (this.buf.length < 4) return;
        const len = this.buf.readUInt16BE(2);
        if (this.buf.length < 4 + len) return;
        const p = this.buf.subarray(4, 4 + len);
        this.packetCount++;
        this.byteCount += len;
        if (this.creds?.keepPackets !== false) this.packets.push({
          // On odd (RTCP) channels the fields below are not RTP's: see `raw`.
          channel: this.buf[1], payloadType: p[1] & 0x7f, marker: !(this.buf[1] & 1) && (p[1] & 0x80) !== 0, seq: p.readUInt16BE(2),
          timestamp: p.readUInt32BE(4), ssrc: p.readUInt32BE(8), payload: Buffer.from(p.subarray(12)),
          raw: this.buf[1] & 1 ? Buffer.from(p) : undefined,
        });
        this.buf = this.buf.subarray(4 + len);
        continue;
      }
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const lines = this.buf.subarray(0, end).toString('utf8').split('\r\n');
      const headers: Record<string, string[]> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        if (i > 0) (headers[l.slice(0, i).trim().toLowerCase()] ??= []).push(l.slice(i + 1).trim());
      }
      const len = Number(headers['content-length']?.[0] ?? 0);
      if (this.buf.length < end + 4 + len) return;
      const body = this.buf.subarray(end + 4, end + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(end + 4 + len);
      const res: RtspResponse = { status: Number(lines[0].split(' ')[1]), headers, body, header: (n) => headers[n.toLowerCase()]?.[0] };
      const p = this.pending;
      this.pending = undefined;
      p?.(res);
    }
  }
}

function parseChallenge(values: string[], prefer: 'digest' | 'basic'): Record<string, string> {
  const v = values.find((x) => x.toLowerCase().startsWith(prefer)) ?? values[0] ?? '';
  const out: Record<string, string> = { scheme: v.split(' ')[0].toLowerCase() };
  for (const m of v.matchAll(/(\w+)="([^"]*)"/g)) out[m[1]] = m[2];
  return out;
}
