// A process that records one camera into a store and never flushes its index on its own (flushMs of an hour),
// so a kill -9 from the test leaves every segment journalled but unindexed: recovery must rebuild them all.
// argv: storeDir dbDir rtspUrl username password
import { RelayManager } from '../../server/media/index';
import { RecordingStore } from '../../server/media/record/index';
import { tempIndex } from './helpers';

const [storeDir, dbDir, url, username, password] = process.argv.slice(2) as [string, string, string, string, string];
const idx = await tempIndex(dbDir);
const store = new RecordingStore({ dir: storeDir, index: idx.repo, format: 'mpegts', recordFileMs: 3_000, flushMs: 3_600_000 });
const manager = new RelayManager({
  resolveSource: async () => ({ url, username, password }),
  workers: 0,
  onPublish: (relayId, p) => store.accept({ cameraId: relayId, stream: 'main' }, p, 'record'),
});
manager.pin(1, true);
let last = -1;
setInterval(() => {
  const n = store.states()[0]?.segments ?? 0;
  if (n !== last) { last = n; process.stdout.write(`written ${n}\n`); }
}, 50);
