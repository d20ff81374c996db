// The recording bench's gateway side: RelayManager with every relay pinned (no viewers), and with `--record` the
// segment store writing every segment as a recording (real SQLite index, batched). stdin: the sources (one JSON
// line), "measure", "report", end. stdout JSON lines: {phase:'online'} when every relay is online, then
// {phase:'done', bytesWritten, journalBytes, bytesReceived, eventLoopDelayMs}.
//   node --import tsx scripts/bench/recording/recorder-server.ts <dir> [--record]
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { Database } from '../../../server/db/database';
import { migrate } from '../../../server/db/migrate';
import { RecordingRepository } from '../../../server/db/repositories/recordings';
import { RelayManager } from '../../../server/media/index';
import { RecordingStore } from '../../../server/media/record/index';
import type { Source } from '../relay/common';

const dir = process.argv[2]!;
const record = process.argv.includes('--record');
const ms = (ns: number) => Math.round(ns / 1e4) / 100;
let measuring = false;
const lines = createInterface({ input: process.stdin });
const it = lines[Symbol.asyncIterator]();
const sources = JSON.parse((await it.next()).value as string) as Source[];
const db = await Database.open(join(dir, 'index.db'));
await migrate(db);
const store = record ? new RecordingStore({ dir: join(dir, 'store'), index: new RecordingRepository(db), format: 'mpegts' }) : null;
const manager = new RelayManager({
  resolveSource: async (id) => sources[id - 1]!,
  maxRelays: sources.length + 1, idleTimeoutMs: 600_000, minTargetDuration: 1,
  onPublish: (id, p) => { if (measuring) countPublished(p); store?.accept({ cameraId: id, stream: 'main' }, p, 'record'); },
});
await manager.warmUp();
sources.forEach((_, i) => manager.pin(i + 1, true));
while (manager.list().filter((r) => r.state === 'online').length < sources.length) await new Promise((r) => setTimeout(r, 200));
process.stdout.write(JSON.stringify({ phase: 'online' }) + '\n');
await it.next(); // "measure"
const eld = monitorEventLoopDelay({ resolution: 5 });
eld.enable();
const written0 = store?.bytesWritten ?? 0;
measuring = true;
// Bytes received: the relays' incoming bit rates integrated over the real time between samples (timers drift under
// load). The store's own overhead is measured separately: segment bytes written versus segment bytes published.
let received = 0;
let published = 0;
let sampledAt = Date.now();
const sampler = setInterval(() => {
  const now = Date.now();
  received += manager.list().reduce((a, r) => a + r.bitrate / 8, 0) * ((now - sampledAt) / 1000);
  sampledAt = now;
}, 1000);
const countPublished = (p: { added: { body: Uint8Array }[] }) => { for (const f of p.added) published += f.body.byteLength; };
await it.next(); // "report"
clearInterval(sampler);
measuring = false;
eld.disable();
await store?.flush();
let journalBytes = 0;
const walk = (d: string) => { for (const e of readdirSync(d, { withFileTypes: true })) { if (e.isDirectory()) walk(join(d, e.name)); else if (e.name.endsWith('.idx')) journalBytes += statSync(join(d, e.name)).size; } };
if (store) walk(join(dir, 'store'));
process.stdout.write(JSON.stringify({
  phase: 'done', bytesWritten: (store?.bytesWritten ?? 0) - written0, journalBytes, bytesReceived: Math.round(received), bytesPublished: published,
  eventLoopDelayMs: { p50: ms(eld.percentile(50)), p99: ms(eld.percentile(99)), max: ms(eld.max) },
}) + '\n');
while (!(await it.next()).done) { /* until the parent ends stdin */ }
manager.close();
await store?.close();
setTimeout(() => process.exit(0), 200);
