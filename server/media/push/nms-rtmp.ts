// Typed doorway into node-media-server's RTMP protocol layer (handshake, chunk stream, AMF commands, FLV tag
// split). Like rtsp/nms.ts we skip its session and broadcast classes: RtmpSession publishes into a BroadcastServer
// that rebuilds FLV and RTMP messages and keeps GOP caches for every packet, and it accepts any stream name.
// Everything above "one audio/video tag arrived" is ours (ingest.ts, flv.ts).
import { createRequire } from 'node:module';
import '../rtsp/nms'; // quietens NMS's module-wide logger (it prints every command at "debug")

const require = createRequire(import.meta.url);

/** One FLV tag as NMS hands it over. `data` is its parser's reused chunk buffer: copy before keeping it. */
export interface NmsAvPacket {
  codec_type: number;
  codec_id: number;
  flags: number;
  pts: number;
  dts: number;
  size: number;
  data: Buffer;
}

export interface NmsRtmp {
  streamApp: string;
  streamName: string;
  streamId: number;
  onConnectCallback: (req: { app: string; name: string; host: string; query: Record<string, unknown> }) => void;
  onPlayCallback: () => void;
  onPushCallback: () => void;
  onPacketCallback: (packet: NmsAvPacket) => void;
  onOutputCallback: (buffer: Buffer) => void;
  /** Returns an error message, or null. May throw on a malformed command (e.g. a bad tcUrl). */
  parserData(buffer: Buffer): string | null;
  respondPublish(): void;
  sendStatusMessage(sid: number, level: string, code: string, description: string): void;
}

export const Rtmp = require('node-media-server/src/protocol/rtmp.js') as new () => NmsRtmp;
