// The relay bench's relay process: RelayManager (its worker threads included) behind a minimal HTTP server with
// the same two routes as server/routes/live, without auth or audit. Run as one bundle on plain node, as the
// gateway runs (server/bundle.mjs), so its memory has no tsx loader thread the gateway does not have either.
// stdin carries commands: the sources (one JSON line), "measure", "report", then end of input; stdout JSON lines:
// {phase:'listening', port, workers}, then {phase:'done', online, windowBytes, eventLoopDelayMs}.
//   scripts/bench/relay/relay-server.ts [--workers N]
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { CameraUnavailableError, RelayManager } from '../../../server/media/index';
import { SEGMENT_SEC, type Source, WINDOW } from './common';

const { values } = parseArgs({ options: { workers: { type: 'string' }, 'no-g711': { type: 'boolean', default: false }, cmaf: { type: 'boolean', default: false } } });
const ms = (ns: number) => Math.round(ns / 1e4) / 100;

const lines = createInterface({ input: process.stdin });
const it = lines[Symbol.asyncIterator]();
const sources = JSON.parse((await it.next()).value as string) as Source[];
const manager = new RelayManager({
  resolveSource: async (id) => sources[id]!,
  maxRelays: sources.length + 1, idleTimeoutMs: 600_000, windowSize: WINDOW, minTargetDuration: SEGMENT_SEC,
  workers: values.workers === undefined ? undefined : Number(values.workers),
  // LL-HLS parts, as the gateway's CONSOLE_LL_PARTS=1 (server/media/README.md): to measure what they cost.
  parts: process.env.CONSOLE_LL_PARTS === '1',
  // The G.711 round's baseline: the same cameras with their audio dropped, as before it was carried.
  g711: !values['no-g711'],
  // The G.711 round's second baseline: what CMAF itself costs (a G.711 camera's epochs are CMAF).
  segmentFormat: values.cmaf ? 'cmaf' : 'mpegts',
});
// A running gateway has its workers up before the first viewer (the plugin warms them when it listens).
await manager.warmUp();
const server = createServer((req, res) => {
  const m = /^\/live\/(\d+)\/([\w.-]+)$/.exec(req.url ?? '');
  if (!m) { res.writeHead(404).end(); return; }
  const id = Number(m[1]);
  if (m[2] === 'index.m3u8') {
    manager.playlist(id, `viewer-${id}`).then(
      (text) => res.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' }).end(text),
      (err: unknown) => res.writeHead(err instanceof CameraUnavailableError ? 502 : 500).end());
    return;
  }
  const seg = manager.segment(id, m[2]!);
  if (!seg) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': seg.contentType, 'content-length': seg.body.byteLength })
    .end(Buffer.from(seg.body.buffer, seg.body.byteOffset, seg.body.byteLength));
});
server.keepAliveTimeout = 30_000;
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
process.stdout.write(JSON.stringify({ phase: 'listening', port, workers: manager.hostInfo().length }) + '\n');
await it.next(); // "measure"
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
await it.next(); // "report"
eld.disable();
const online = manager.list().filter((s) => s.state === 'online').length;
const windowBytes = manager.list().reduce((a, s) => a + s.bytesHeld, 0);
process.stdout.write(JSON.stringify({
  phase: 'done', online, windowBytes,
  eventLoopDelayMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
}) + '\n');
// Keep serving until the parent has stopped its players (end of stdin), so none of them sees a refused socket.
while (!(await it.next()).done) { /* ignore further lines */ }
manager.close();
server.close();
setTimeout(() => process.exit(0), 200);
