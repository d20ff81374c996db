// The worker shape: relays run on worker threads, the serving thread keeps the live windows. A camera sending
// garbage costs only its own relay; a worker that dies is replaced and its cameras carry on; what the serving
// thread hands out (moved from a worker, not copied) decodes.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimCamera } from '../../scripts/simulator/index';
import type { RelayManager } from '../../server/media/index';
import { HAVE_FFPROBE, probe } from './helpers/ffprobe';
import { camera, managerFor, segmentNames, until } from './helpers/sim';

const GOOD = 2150;
const OTHER = 2151;
const GARBAGE = 2190;
const cams = new Map<number, SimCamera>();
let garbage: { server: Server; url: string; close(): Promise<void> };

/** A "camera" that answers RTSP correctly and then streams junk: random bytes, '$' frames of random size and
 * channel, and RTP packets whose payloads are broken H.264 (fragments without a start, oversized aggregates). */
async function garbageCamera(): Promise<typeof garbage> {
  const sockets = new Set<Socket>();
  const sdp = 'v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=junk\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n'
    + 'a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtkAoD2wEQAAAwABAAADADIPFi5I,aMuMsg==\r\na=control:track1\r\n';
  let seq = 0;
  const junk = (): Buffer => {
    const kind = Math.floor(Math.random() * 3);
    if (kind === 0) return Buffer.from(Array.from({ length: 1 + Math.floor(Math.random() * 3000) }, () => Math.floor(Math.random() * 256)));
    const rtp = Buffer.alloc(12 + 200);
    rtp[0] = 0x80; rtp[1] = 96 | (Math.random() < 0.3 ? 0x80 : 0);
    rtp.writeUInt16BE(seq++ & 0xffff, 2);
    rtp.writeUInt32BE(Math.floor(Math.random() * 2 ** 32), 4);
    for (let i = 12; i < rtp.length; i++) rtp[i] = Math.floor(Math.random() * 256);
    rtp[12] = [28, 24, 5, 1, 7][Math.floor(Math.random() * 5)]!; // FU-A, STAP-A, IDR, slice, SPS with junk inside
    const frame = Buffer.alloc(4);
    frame[0] = 0x24; frame[1] = kind === 1 ? 0 : Math.floor(Math.random() * 256);
    frame.writeUInt16BE(kind === 1 ? rtp.length : Math.floor(Math.random() * 65536), 2);
    return Buffer.concat([frame, rtp]);
  };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buf = '';
    let timer: NodeJS.Timeout | null = null;
    socket.on('data', (d) => {
      buf += d.toString('latin1');
      let end;
      while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
        const req = buf.slice(0, end);
        buf = buf.slice(end + 4);
        const method = req.split(' ')[0];
        const cseq = /CSeq:\s*(\d+)/i.exec(req)?.[1] ?? '0';
        const head = (extra: string, body = '') =>
          `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
        if (method === 'DESCRIBE') socket.write(head('Content-Type: application/sdp\r\n', sdp));
        else if (method === 'SETUP') socket.write(head('Session: 1;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n'));
        else if (method === 'PLAY') {
          socket.write(head('Session: 1\r\n'));
          timer ??= setInterval(() => { if (!socket.destroyed) socket.write(junk()); }, 5);
          socket.once('close', () => clearInterval(timer!));
        } else socket.write(head(''));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    server,
    url: `rtsp://127.0.0.1:${port}/junk`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

async function playlistAfter(manager: RelayManager, id: number, minSequenceAbove: number): Promise<string> {
  return until(async () => {
    const text = await manager.playlist(id, 'viewer').catch(() => '');
    const seq = Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1] ?? -1);
    return seq + segmentNames(text).length - 1 > minSequenceAbove ? text : null;
  }, 200);
}

/** Media sequence number of the newest segment in a playlist. */
function lastSequence(text: string): number {
  return Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1]) + segmentNames(text).length - 1;
}

beforeAll(async () => {
  cams.set(GOOD, await camera(GOOD));
  cams.set(OTHER, await camera(OTHER));
  garbage = await garbageCamera();
});
afterAll(async () => {
  await Promise.all([...cams.values()].map((c) => c.close()));
  await garbage.close();
});

describe('relays on worker threads', () => {
  it('a camera streaming garbage is reported and retried; its worker and the cameras beside it carry on', async () => {
    const sources = new Map(cams);
    sources.set(GARBAGE, { rtspUrl: garbage.url, spec: { username: 'u', password: 'p' } } as unknown as SimCamera);
    const { manager, events } = managerFor(sources, { workers: 1, stallTimeoutMs: 1500 });
    try {
      const before = await manager.playlist(GOOD, 'viewer');
      const thread = manager.hostInfo()[0]!.threadId;
      expect(thread).toBeGreaterThan(0);
      await manager.playlist(GARBAGE, 'viewer').catch(() => {});
      const offline = await until(() => events.find((e) => e.relayId === GARBAGE && e.status === 'offline'));
      expect(['protocol error', 'stalled', 'closed', 'timeout']).toContain(offline.reason);
      // Keep the junk flowing through a few reconnects while the good camera keeps publishing on the same thread.
      await until(() => (manager.list().find((s) => s.relayId === GARBAGE)?.reconnects ?? 0) >= 2 || (void manager.playlist(GARBAGE).catch(() => {}), false), 200);
      const after = await playlistAfter(manager, GOOD, lastSequence(before) + 2);
      expect(after).toContain('#EXTINF');
      expect(manager.hostInfo()[0]!.threadId).toBe(thread);
      expect(manager.list().find((s) => s.relayId === GOOD)!.state).toBe('online');
      expect(manager.list().find((s) => s.relayId === GARBAGE)!.state).not.toBe('online');
    } finally {
      manager.close();
    }
  });

  it('a killed worker is replaced: its cameras continue their playlists, and the others are untouched', async () => {
    const { manager } = managerFor(cams, { workers: 2 });
    try {
      const a = await manager.playlist(GOOD, 'viewer');
      const b = await manager.playlist(OTHER, 'viewer');
      const hosts = manager.hostInfo();
      const victim = hosts.findIndex((h) => h.relays.includes(GOOD));
      const bystander = hosts.findIndex((h) => h.relays.includes(OTHER));
      expect(victim).not.toBe(bystander); // the pool spreads cameras over its workers
      const deadThread = hosts[victim]!.threadId;
      await manager.recycleWorker(victim);
      // The relay restarts (on the pool) and its playlist moves on from where it was: later sequence numbers,
      // new names, a discontinuity for the switch.
      const text = await until(async () => {
        const t = await manager.playlist(GOOD, 'viewer');
        return lastSequence(t) > lastSequence(a) + 1 && /#EXT-X-DISCONTINUITY-SEQUENCE:[1-9]/.test(t) ? t : null;
      }, 200);
      expect(manager.hostInfo().some((h) => h.relays.includes(GOOD) && h.threadId !== deadThread)).toBe(true);
      expect(Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)![1])).toBeGreaterThan(Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(a)![1]));
      const other = await playlistAfter(manager, OTHER, lastSequence(b));
      expect(other).not.toContain('#EXT-X-DISCONTINUITY');
      if (HAVE_FFPROBE) {
        // Served from the main thread's window: bytes that were produced on a worker and moved here.
        const names = segmentNames(text);
        const r = await probe(manager.segment(GOOD, names[names.length - 1]!)!.body);
        expect(r.errors).toBe('');
        expect(r.streams[0]?.codec_name).toBe('h264');
      }
    } finally {
      manager.close();
    }
  });
});
