// Typed doorway into node-media-server's lower RTSP layer (signalling, SDP parsing; its TCP framing and RTP parser
// are replaced by ours on the data path, see interleaved.ts and rtp.ts, and its auth by server/protocol/http-auth.ts). We deliberately skip its RtspClientSession: that class wraps every NAL unit
// in FLV/RTMP messages, feeds two GOP caches, persists relay tasks in its own store (pitfall 9) and dereferences a
// null broadcast when RTP arrives with the PLAY response (pitfall 1). Everything above the RTP header is ours.
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { chooseAuthorizer, parseChallenges, type Authorizer, type Credentials } from '../../protocol/http-auth';
import { connectRtsp, rtspEndpoint } from '../../protocol/rtsp-connect';

const require = createRequire(import.meta.url);

export interface NmsRtspResponse {
  statusCode: number;
  reasonPhrase: string;
  headers: Record<string, string>;
  body: Buffer;
}

export interface NmsRtspClient {
  username: string;
  password: string;
  sessionId: string;
  connected: boolean;
  heartbeatInterval: number;
  onRtpDataCallback: (channel: number, data: Buffer) => void;
  /** NMS's parser of RTSP text; fed whole messages only (its socket is ours: connectWithSharedReads). */
  handleData: (chunk: Buffer) => void;
  recvBuffer: Buffer;
  parseState: number;
  lastActivityTime: number;
  onCloseCallback: (hadError: boolean) => void;
  onErrorCallback: (err: Error) => void;
  // State connect() resets (see connectWithSharedReads).
  socket: Socket | null;
  baseUri: string;
  cSeq: number;
  authParams: unknown;
  pendingRequests: Map<unknown, unknown>;
  rejectAllPending(err: Error): void;
  // Its auth hooks, replaced by answerChallengesWithOurs.
  parseWwwAuthenticate(header: string): unknown;
  buildAuthorizationHeader(method: string, uri: string): string | null;
  connect(url: string): Promise<void>;
  disconnect(): void;
  describe(uri?: string): Promise<NmsRtspResponse>;
  setup(trackUri: string, transport: string): Promise<NmsRtspResponse>;
  play(uri?: string, range?: string): Promise<NmsRtspResponse>;
  /** Any request with extra headers (PLAY with Scale for device playback). */
  sendRequest(method: string, uri: string, headers: Record<string, string>): Promise<NmsRtspResponse>;
  teardown(uri?: string): Promise<NmsRtspResponse>;
  startHeartbeat(): void;
  stopHeartbeat(): void;
}

export interface NmsSdpMedia {
  type: string;
  payloadType: number;
  codec: string;
  clockRate: number;
  channels: number;
  fmtp: Record<string, string>;
  control: string;
  attributes: Record<string, string>;
}

export interface NmsSdpSession {
  attributes: Record<string, string>;
  media: NmsSdpMedia[];
}


const logger = require('node-media-server/src/core/logger.js') as { level: string };
// The NMS logger is a module singleton that starts at "debug" and prints every RTSP request line to stdout; a
// county has hundreds of cameras. Quieten it unless the host application already chose a level.
if (logger.level === 'debug') logger.level = 'error';

export const RtspClient = require('node-media-server/src/protocol/rtsp_client.js') as new () => NmsRtspClient;
export const SdpParser = require('node-media-server/src/protocol/sdp.js') as {
  parse(sdp: Buffer | string): NmsSdpSession | null;
};

/** One read buffer per thread for every RTSP socket (see connectWithSharedReads). */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * NMS's connect(), but the socket reads into one buffer shared by all cameras of this thread (net's `onread`)
 * instead of a new one per read, and without the stream machinery around each read: at 100 cameras that was
 * ~5,000 buffers a second for the garbage collector. `onData` gets a view of that buffer, valid only until it
 * returns: the reader copies what it keeps (a packet's payload, a straddling packet, a message). The rest is what
 * NMS 4.4.3's connect() does, state reset and close/error wiring included (credentials are set by the caller),
 * plus rtsps: a TLS socket (server/protocol/rtsp-connect.ts, certificate not verified) reads the same way.
 */
export function connectWithSharedReads(client: NmsRtspClient, rtspUrl: string, onData: (chunk: Buffer) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const endpoint = rtspEndpoint(new URL(rtspUrl));
    client.baseUri = rtspUrl;
    client.cSeq = 0;
    client.sessionId = '';
    client.authParams = null;
    client.parseState = 0;
    client.recvBuffer = Buffer.alloc(0);
    client.pendingRequests.clear();
    client.lastActivityTime = Date.now();
    const socket = connectRtsp(endpoint, () => {
      client.connected = true;
      resolve();
    }, { buffer: READ_BUFFER, callback: (n) => { onData(READ_BUFFER.subarray(0, n)); return true; } });
    client.socket = socket;
    socket.on('close', (hadError) => {
      client.connected = false;
      client.stopHeartbeat();
      client.rejectAllPending(new Error('Connection closed'));
      client.onCloseCallback(hadError);
    });
    socket.on('error', (err) => {
      const wasConnected = client.connected;
      client.connected = false;
      client.onErrorCallback(err);
      if (!wasConnected) reject(err);
    });
  });
}

/** The WWW-Authenticate values of the last 401 each client was fed (feedMessage). */
const challengesSeen = new WeakMap<NmsRtspClient, string[]>();

/**
 * Hands NMS one whole RTSP message (cut out by interleaved.ts), from a clean parser state. A 401's challenges are
 * noted first: NMS keeps one value per header name, so of a camera's `Digest …` and `Basic …` headers it saw only
 * the last, and answered Basic, the password readable by anyone on the path.
 */
export function feedMessage(client: NmsRtspClient, msg: Buffer): void {
  if (/^RTSP\/\d\.\d 401/.test(msg.toString('latin1', 0, 12))) challengesSeen.set(client, headerValues(msg, 'www-authenticate'));
  client.recvBuffer = Buffer.alloc(0);
  client.parseState = 0;
  client.handleData(canonicalHeaderNames(msg));
}

/** Header names NMS (and session.ts, through NMS's header map) look up by exact spelling. */
const CANONICAL = new Map(['CSeq', 'Content-Length', 'Content-Base', 'Content-Location', 'Session', 'Transport', 'RTP-Info',
  'WWW-Authenticate'].map((name) => [name.toLowerCase(), name]));

/**
 * Header names are case-insensitive (RFC 2326 §4.2), but NMS matches `CSeq`, `Content-Length` and
 * `WWW-Authenticate` exactly: a camera writing `Cseq` had every answer dropped (a timeout), `content-length` lost
 * the SDP, `Www-Authenticate` was never answered. The names it reads are rewritten in their canonical spelling
 * (same length, so in a copy of the message only when one differs).
 */
function canonicalHeaderNames(msg: Buffer): Buffer {
  const end = msg.indexOf('\r\n\r\n');
  const head = msg.toString('latin1', 0, end < 0 ? msg.length : end);
  let out: Buffer | null = null;
  for (let start = head.indexOf('\r\n') + 2; start > 1; start = head.indexOf('\r\n', start) + 2) {
    const colon = head.indexOf(':', start);
    const lineEnd = head.indexOf('\r\n', start);
    if (colon < 0 || (lineEnd >= 0 && colon > lineEnd)) continue;
    const raw = head.slice(start, colon);
    const name = raw.trim(); // NMS trims too
    const canonical = CANONICAL.get(name.toLowerCase());
    if (canonical === undefined || canonical === name) continue;
    out ??= Buffer.from(msg);
    out.write(canonical, start + raw.indexOf(name), 'latin1');
  }
  return out ?? msg;
}

function headerValues(msg: Buffer, name: string): string[] {
  const end = msg.indexOf('\r\n\r\n');
  const lines = msg.toString('utf8', 0, end < 0 ? msg.length : end).split('\r\n').slice(1);
  const out: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === name) out.push(line.slice(colon + 1).trim());
  }
  return out;
}

/**
 * Challenges are answered by the gateway's one Basic/Digest implementation (server/protocol/http-auth.ts) rather
 * than NMS's: besides reading only the last challenge (feedMessage), NMS sends a fixed cnonce and nc=1 on every
 * request and quotes nothing it echoes. NMS still decides when to answer (a 401 to DESCRIBE or SETUP, once) and
 * puts the header on every later request; we only replace how the header is made. The password stays here: NMS
 * is given the username alone, which it checks before answering a 401.
 */
export function answerChallengesWithOurs(client: NmsRtspClient, credentials: Credentials): void {
  let authorizer: Authorizer | undefined;
  client.username = credentials.username;
  client.password = '';
  client.parseWwwAuthenticate = () => {
    authorizer = chooseAuthorizer(parseChallenges(challengesSeen.get(client) ?? []), credentials);
    return authorizer ?? null; // null: NMS rejects the request (no scheme we can answer)
  };
  client.buildAuthorizationHeader = (method, uri) => authorizer?.authorization(method, uri) ?? null;
}
