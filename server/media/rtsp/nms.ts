// Typed doorway into node-media-server's lower RTSP layer (signalling, Basic/Digest auth, SDP parsing; its TCP
// framing and RTP parser are replaced by ours on the data path, see interleaved.ts and rtp.ts). We deliberately skip its RtspClientSession: that class wraps every NAL unit
// in FLV/RTMP messages, feeds two GOP caches, persists relay tasks in its own store (pitfall 9) and dereferences a
// null broadcast when RTP arrives with the PLAY response (pitfall 1). Everything above the RTP header is ours.
import { createRequire } from 'node:module';

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
  /** Socket 'data' listener, read once by connect(): replacing it before connect() replaces the data path. */
  handleData: (chunk: Buffer) => void;
  recvBuffer: Buffer;
  parseState: number;
  lastActivityTime: number;
  onCloseCallback: (hadError: boolean) => void;
  onErrorCallback: (err: Error) => void;
  connect(url: string): Promise<void>;
  disconnect(): void;
  describe(uri?: string): Promise<NmsRtspResponse>;
  setup(trackUri: string, transport: string): Promise<NmsRtspResponse>;
  play(uri?: string, range?: string): Promise<NmsRtspResponse>;
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
