// RTSP/1.0 request parsing and response writing (RFC 2326). A connection carries text requests and, once a
// client plays over TCP, '$'-framed interleaved RTP/RTCP (clients send RTCP receiver reports that way).

export interface RtspRequest {
  method: string;
  uri: string;
  version: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
}

const MAX_HEADER_BYTES = 16 * 1024;

export class RtspParser {
  private buf: Buffer = Buffer.alloc(0);

  constructor(
    private readonly onRequest: (req: RtspRequest) => void,
    private readonly onInterleaved: (channel: number, data: Buffer) => void,
    private readonly onError: (err: Error) => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    // Bounded: each iteration consumes at least one complete message or stops.
    while (this.buf.length) {
      if (this.buf[0] === 0x24 /* $ */) {
        if (this.buf.length < 4) return;
        const len = this.buf.readUInt16BE(2);
        if (this.buf.length < 4 + len) return;
        this.onInterleaved(this.buf[1], this.buf.subarray(4, 4 + len));
        this.buf = this.buf.subarray(4 + len);
        continue;
      }
      const end = this.buf.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buf.length > MAX_HEADER_BYTES) this.fail(new Error('RTSP header too large'));
        return;
      }
      const lines = this.buf.subarray(0, end).toString('utf8').split('\r\n');
      const [method, uri, version] = lines[0].split(' ');
      if (!method || !uri || !version?.startsWith('RTSP/')) return this.fail(new Error(`bad request line: ${lines[0]}`));
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const bodyLen = Number(headers['content-length'] ?? 0) || 0;
      if (this.buf.length < end + 4 + bodyLen) return;
      const body = this.buf.subarray(end + 4, end + 4 + bodyLen);
      this.buf = this.buf.subarray(end + 4 + bodyLen);
      this.onRequest({ method, uri, version, headers, body });
    }
  }

  private fail(err: Error): void {
    this.buf = Buffer.alloc(0);
    this.onError(err);
  }
}

export const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 400: 'Bad Request', 401: 'Unauthorized', 404: 'Stream Not Found', 405: 'Method Not Allowed',
  454: 'Session Not Found', 455: 'Method Not Valid in This State', 459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport', 500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable',
};

export function formatResponse(status: number, headers: Array<[string, string]>, body?: string): Buffer {
  const lines = [`RTSP/1.0 ${status} ${STATUS_TEXT[status] ?? 'Error'}`];
  for (const [k, v] of headers) lines.push(`${k}: ${v}`);
  const bodyBuf = body ? Buffer.from(body, 'utf8') : undefined;
  if (bodyBuf) lines.push(`Content-Length: ${bodyBuf.length}`);
  const head = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
  return bodyBuf ? Buffer.concat([head, bodyBuf]) : head;
}
