// The RTMP ingest: devices that push (body cameras, drones, 4G cameras, a phone) publish to
// rtmp://<gateway>:<port>/live/<stream key>. Each connection speaks RTMP through node-media-server's protocol layer
// (nms-rtmp.ts); the stream key is checked before the publish is acknowledged (ffmpeg and OBS wait for
// NetStream.Publish.Start before sending media), so a refused device never gets a byte in. Playing over RTMP is
// not offered: viewers watch through the console's HLS like every other camera.
import { createServer, type Server, type Socket } from 'node:net';
import { Rtmp, type NmsAvPacket, type NmsRtmp } from './nms-rtmp';
import type { UnavailableReason } from '../types';
import { FLV_AUDIO, FLV_VIDEO, type FlvTag } from './flv';

export type PublishVerdict = { cameraId: number } | { refused: 'unknown key' | 'revoked key' | 'bad path' };

export interface IngestHandlers {
  /** Looks the key up (hashed); never throws for an unknown key. */
  authorize(key: string): Promise<PublishVerdict>;
  /** A device was accepted; any earlier publisher of the same camera has been cut off already. */
  onPublish(cameraId: number, ip: string): void;
  onTag(cameraId: number, tag: FlvTag): void;
  /** Its connection ended: 'closed' by the device (or replaced by a new publisher of the same key), 'protocol
   * error', or 'unauthorized' (kick(): key rotated or revoked). */
  onEnd(cameraId: number, reason: UnavailableReason): void;
  onRefused(reason: string, ip: string, app: string): void;
}

/** Where the app path must be: rtmp://host:port/live/<key>. */
export const PUSH_APP = 'live';
/** Bytes a connection may send before it has published (handshake + commands are a few KB). */
const MAX_PREPUBLISH_BYTES = 64 * 1024;
const HANDSHAKE_TIMEOUT_MS = 10_000;

interface Conn {
  socket: Socket;
  rtmp: NmsRtmp;
  cameraId: number | null;
  ended: boolean;
  endReason: UnavailableReason;
}

export class RtmpIngest {
  private server: Server | null = null;
  private readonly conns = new Set<Conn>();
  private readonly publishers = new Map<number, Conn>();

  constructor(private readonly h: IngestHandlers) {}

  async listen(port: number, host: string): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => { server.off('error', reject); resolve(); });
    });
    const addr = server.address();
    return typeof addr === 'object' && addr ? addr.port : port;
  }

  get port(): number | null {
    const addr = this.server?.address();
    return typeof addr === 'object' && addr ? addr.port : null;
  }

  isPublishing(cameraId: number): boolean {
    return this.publishers.has(cameraId);
  }

  /** Cut a camera's publisher off (key rotated or revoked, camera deleted). */
  kick(cameraId: number, reason: UnavailableReason = 'unauthorized'): void {
    const c = this.publishers.get(cameraId);
    if (c) this.finish(c, reason);
  }

  async close(): Promise<void> {
    for (const c of [...this.conns]) this.finish(c, 'closed');
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const rtmp = new Rtmp();
    const c: Conn = { socket, rtmp, cameraId: null, ended: false, endReason: 'closed' };
    this.conns.add(c);
    const ip = socket.remoteAddress ?? '';
    let app = '';
    let prepublish = 0;
    socket.setNoDelay(true);
    socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => { if (c.cameraId === null) this.finish(c, 'closed'); });
    // NMS answers publish with Publish.Start at once; we answer only after the key is checked.
    rtmp.respondPublish = () => {};
    rtmp.onOutputCallback = (buf) => { if (!c.ended) socket.write(buf); };
    rtmp.onConnectCallback = (req) => { app = req.app; };
    rtmp.onPlayCallback = () => this.finish(c, 'closed');
    rtmp.onPushCallback = () => {
      const key = rtmp.streamName;
      const streamId = rtmp.streamId;
      const verdict: Promise<PublishVerdict> = app !== PUSH_APP || !/^[A-Za-z0-9_-]{16,128}$/.test(key)
        ? Promise.resolve({ refused: 'bad path' })
        : this.h.authorize(key);
      verdict.then((v) => {
        if (c.ended) return;
        if ('refused' in v) {
          rtmp.sendStatusMessage(streamId, 'error', 'NetStream.Publish.BadName', 'Stream key refused.');
          this.h.onRefused(v.refused, ip, app);
          // Let the status message leave before closing.
          socket.end();
          c.ended = true;
          return;
        }
        const previous = this.publishers.get(v.cameraId);
        if (previous) this.finish(previous, 'closed');
        c.cameraId = v.cameraId;
        this.publishers.set(v.cameraId, c);
        socket.setTimeout(0);
        this.h.onPublish(v.cameraId, ip);
        rtmp.sendStatusMessage(streamId, 'status', 'NetStream.Publish.Start', 'Publishing.');
      }, () => this.finish(c, 'protocol error'));
    };
    rtmp.onPacketCallback = (p: NmsAvPacket) => {
      if (c.cameraId === null || c.ended) return;
      if (p.codec_type !== FLV_AUDIO && p.codec_type !== FLV_VIDEO) return; // metadata (onMetaData) is not needed
      // Copied once out of the parser's reused chunk buffer; from here the tag is shared, never written.
      this.h.onTag(c.cameraId, { type: p.codec_type, time: p.dts, data: new Uint8Array(p.data.subarray(0, p.size)) });
    };
    socket.on('data', (chunk: Buffer) => {
      if (c.ended) return;
      if (c.cameraId === null && (prepublish += chunk.length) > MAX_PREPUBLISH_BYTES + 3073) { this.finish(c, 'protocol error'); return; }
      let err: string | null;
      try { err = rtmp.parserData(chunk); } catch { err = 'malformed command'; }
      if (err) this.finish(c, 'protocol error');
    });
    socket.on('error', () => this.finish(c, 'closed'));
    socket.on('close', () => this.finish(c, c.endReason));
  }

  private finish(c: Conn, reason: Conn['endReason']): void {
    if (!this.conns.delete(c)) return;
    c.ended = true;
    c.endReason = reason;
    c.socket.destroy();
    if (c.cameraId !== null && this.publishers.get(c.cameraId) === c) {
      this.publishers.delete(c.cameraId);
      this.h.onEnd(c.cameraId, reason);
    }
  }
}
