// The RTMP bench's gateway stand-in: RelayManager (worker threads included) fed either by the RTMP ingest (push
// mode, as the gateway's plugins/push.ts wires it) or by RTSP pulls of simulated cameras (pull mode), nothing else.
// Runs as one bundle on plain node like the gateway. stdin: one JSON line {mode, n, sources?}, then "report", then
// end of input. stdout JSON lines: {phase:'listening', rtmpPort}, {phase:'status', online, firsts} every 0.5 s,
// {phase:'done', online, firstPlaylistMs[]}.
//   Push: relay ids 1..n; the key of id i is keyOf(i). First playlist = from the ingest accepting the publish to
//   the playlist a viewer asking at that moment gets. Pull: from asking to the playlist, every stream at once.
import { createInterface } from 'node:readline';
import { PushFeeder } from '../../../server/media/push/feeder';
import { RtmpIngest } from '../../../server/media/push/ingest';
import { RelayManager } from '../../../server/media/relay-manager';
import type { Source } from '../relay/common';

const lines = createInterface({ input: process.stdin });
const it = lines[Symbol.asyncIterator]();
const setup = JSON.parse((await it.next()).value as string) as { mode: 'push' | 'pull'; n: number; sources?: Source[] };
const firsts: number[] = [];
const manager: RelayManager = new RelayManager({
  resolveSource: async (id) => (setup.mode === 'push' ? { url: `push:${id}` } : setup.sources![id - 1]!),
  maxRelays: setup.n + 1, idleTimeoutMs: 600_000, windowSize: 4, minTargetDuration: 1,
  onRelayStart: (id) => feeder.relayStarted(id),
});
const feeder = new PushFeeder(manager);
await manager.warmUp();

let rtmpPort = 0;
let ingest: RtmpIngest | null = null;
const watch = (id: number) => {
  const t0 = performance.now();
  manager.playlist(id, 'bench').then(() => firsts.push(performance.now() - t0), () => {});
};
if (setup.mode === 'push') {
  ingest = new RtmpIngest({
    authorize: async (key) => {
      const m = /^benchpushkey-(\d{6})$/.exec(key);
      return m ? { cameraId: Number(m[1]) } : { refused: 'unknown key' };
    },
    onPublish: (id) => { feeder.begin(id); watch(id); },
    onTag: (id, tag) => feeder.tag(id, tag),
    onEnd: (id, reason) => feeder.end(id, reason),
    onRefused: () => {},
  });
  rtmpPort = await ingest.listen(0, '127.0.0.1');
} else {
  for (let id = 1; id <= setup.n; id++) watch(id);
}
process.stdout.write(JSON.stringify({ phase: 'listening', rtmpPort }) + '\n');
const online = () => manager.list().filter((s) => s.state === 'online').length;
const timer = setInterval(() => process.stdout.write(JSON.stringify({ phase: 'status', online: online(), firsts: firsts.length }) + '\n'), 500);
await it.next(); // "report"
clearInterval(timer);
process.stdout.write(JSON.stringify({ phase: 'done', online: online(), firstPlaylistMs: firsts }) + '\n');
while (!(await it.next()).done) { /* until the parent closes stdin */ }
await ingest?.close();
manager.close();
setTimeout(() => process.exit(0), 200);
