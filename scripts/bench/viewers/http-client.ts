// A minimal HTTP/1.1 keep-alive client for the viewers benchmark: one connection per viewer, one request in flight
// on it, bodies counted and thrown away unless asked for. Why not node:http: 2,000 viewers pulling ~450 MB/s share
// two cores with the gateway, and every microsecond the load generator spends per request or per chunk is taken
// from the thing being measured. This does only what the bench needs and refuses the rest loudly: responses must
// carry Content-Length (Fastify sends it for strings, buffers and error bodies); no chunked coding, no pipelining.
import { connect, type Socket } from 'node:net';

export interface Response {
  status: number;
  /** Body bytes received. */
  bytes: number;
  /** When asked for (playlists, JSON) or not 200; segment bodies are counted, not kept. */
  body?: Buffer;
  /** From writing the request to the first response byte, and to the last one. */
  ttfbMs: number;
  totalMs: number;
}

export class HttpError extends Error {
  constructor(readonly kind: string) {
    super(kind);
  }
}

interface Pending {
  resolve: (r: Response) => void;
  reject: (e: Error) => void;
  keepBody: boolean;
  start: number;
  firstByte: number;
  timer: NodeJS.Timeout;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_HEADER = 16 * 1024;

export class Connection {
  private socket: Socket | null = null;
  private connecting: Promise<Socket> | null = null;
  private pending: Pending | null = null;
  private head: Buffer | null = null;
  private status = 0;
  private length = -1;
  private received = 0;
  private chunks: Buffer[] = [];
  private closeAfter = false;
  private closed = false;
  /** Connections opened over this client's life (1 while the server keeps it alive). */
  connects = 0;

  constructor(
    private readonly port: number,
    private readonly localAddress: string,
    private readonly timeoutMs: number,
  ) {}

  get(path: string, keepBody: boolean): Promise<Response> {
    return this.send(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nUser-Agent: bench-viewers\r\nAccept: */*\r\n\r\n`, keepBody);
  }

  postJson(path: string, body: unknown): Promise<Response> {
    const payload = Buffer.from(JSON.stringify(body));
    return this.send(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${this.port}\r\nUser-Agent: bench-viewers\r\nAccept: application/json\r\n`
        + `Content-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n${payload.toString()}`,
      true,
    );
  }

  close(): void {
    this.closed = true;
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.fail(new HttpError('closed'));
  }

  private async send(request: string, keepBody: boolean): Promise<Response> {
    if (this.closed) throw new HttpError('closed');
    if (this.pending) throw new Error('one request at a time per connection');
    const socket = this.socket ?? (await (this.connecting ??= this.open()));
    return new Promise<Response>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A timed-out connection cannot be reused: the late response would be taken for the next one's.
        if (this.socket === socket) this.socket = null;
        socket.destroy();
        this.fail(new HttpError('timeout'));
      }, this.timeoutMs);
      this.pending = { resolve, reject, keepBody, start: performance.now(), firstByte: 0, timer };
      this.head = null;
      this.length = -1;
      this.received = 0;
      this.chunks = [];
      this.closeAfter = false;
      socket.write(request);
    });
  }

  private open(): Promise<Socket> {
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.port, localAddress: this.localAddress, noDelay: true });
      const onError = (err: Error) => {
        this.connecting = null;
        reject(new HttpError((err as NodeJS.ErrnoException).code ?? 'connect-error'));
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        this.connects++;
        this.socket = socket;
        this.connecting = null;
        // Events of a socket this connection has already let go of (timed out, closed after a response) must not
        // touch the request now running on its successor.
        socket.on('data', (d: Buffer) => { if (this.socket === socket) this.onData(d); });
        socket.on('error', (err: NodeJS.ErrnoException) => { if (this.socket === socket) this.fail(new HttpError(err.code ?? 'socket-error')); });
        socket.on('close', () => {
          if (this.socket !== socket) return;
          this.socket = null;
          this.fail(new HttpError('closed-by-server'));
        });
        resolve(socket);
      });
    });
  }

  private fail(err: Error): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    clearTimeout(p.timer);
    p.reject(err);
  }

  private onData(data: Buffer): void {
    const p = this.pending;
    if (!p) {
      // Bytes nobody asked for: the stream is out of step, so drop the connection.
      const socket = this.socket;
      this.socket = null;
      socket?.destroy();
      return;
    }
    if (p.firstByte === 0) p.firstByte = performance.now();
    let body = data;
    if (this.length < 0) {
      const head = this.head ? Buffer.concat([this.head, data]) : data;
      const end = head.indexOf(HEADER_END);
      if (end < 0) {
        if (head.length > MAX_HEADER) { this.protocolError('header-too-large'); return; }
        this.head = head;
        return;
      }
      if (!this.parseHead(head.toString('latin1', 0, end))) return;
      body = head.subarray(end + 4);
    }
    this.received += body.length;
    // Error bodies are kept too (small JSON): the report quotes a few.
    if ((p.keepBody || this.status !== 200) && body.length) this.chunks.push(body);
    if (this.received > this.length) { this.protocolError('body-longer-than-content-length'); return; }
    if (this.received === this.length) this.finish(p);
  }

  private parseHead(text: string): boolean {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) { this.protocolError('bad-status-line'); return false; }
    this.status = Number(m[1]);
    let length = -1;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') { this.protocolError('chunked-not-supported'); return false; }
      else if (name === 'connection' && value.toLowerCase() === 'close') this.closeAfter = true;
    }
    if (!(length >= 0)) { this.protocolError('no-content-length'); return false; }
    this.length = length;
    return true;
  }

  private finish(p: Pending): void {
    this.pending = null;
    clearTimeout(p.timer);
    const end = performance.now();
    if (this.closeAfter) { const s = this.socket; this.socket = null; s?.destroy(); }
    p.resolve({
      status: this.status,
      bytes: this.received,
      body: p.keepBody || this.status !== 200 ? Buffer.concat(this.chunks) : undefined,
      ttfbMs: p.firstByte - p.start,
      totalMs: end - p.start,
    });
  }

  private protocolError(kind: string): void {
    const socket = this.socket;
    this.socket = null;
    socket?.destroy();
    this.fail(new HttpError(kind));
  }
}
