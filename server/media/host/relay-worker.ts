// Entry of a relay worker thread (loaded through bootstrap.mjs). It hosts a RelayRunner and nothing else: no HTTP,
// no database; the main thread sends start/stop and receives segments, state and stats.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { FromHost, ToHost } from './protocol';
import { RelayRunner } from './relay-runner';

const port = parentPort;
if (!port) throw new Error('relay-worker must run in a worker thread');

/** Niceness of relay threads: when the cores are busy the serving thread (nice 0) runs first, so playlist and
 * segment answers keep their latency and relays absorb the wait (they buffer a segment anyway). */
const RELAY_NICE = 5;
try {
  // Linux: /proc/thread-self → "<pid>/task/<tid>", and setpriority() on a thread id renices just that thread.
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (tid > 0) setPriority(tid, RELAY_NICE);
} catch { /* not Linux, or not allowed: run at normal priority */ }

// Cameras started together cut their segments at the same moment; one message per event-loop turn instead of
// one per segment saves most of the per-message cost (measured ~10% of a worker's time at 100 cameras). A long turn
// (100 cameras finishing their first segment at once took ~300 ms) flushes every MAX_BATCH_DELAY_MS, so a finished
// segment is not held back for the whole turn: the first viewers of a wall get their playlists as they are ready.
const MAX_BATCH_DELAY_MS = 20;
let queue: FromHost[] = [];
let transfers: ArrayBuffer[] = [];
let queuedAt = 0;
const flush = () => {
  if (queue.length === 0) return;
  const messages = queue;
  const moved = transfers;
  queue = [];
  transfers = [];
  port.postMessage(messages.length === 1 ? messages[0] : { type: 'batch', messages }, moved);
};
const runner = new RelayRunner((msg, transfer) => {
  if (queue.length === 0) {
    queuedAt = performance.now();
    setImmediate(flush);
  }
  queue.push(msg);
  if (transfer) transfers.push(...transfer);
  if (performance.now() - queuedAt > MAX_BATCH_DELAY_MS) flush();
});
port.on('message', (msg: ToHost) => {
  try {
    runner.handle(msg);
  } catch {
    // A malformed message or a relay failing to start must not end the thread hosting the other cameras.
  }
});
// A stray rejection inside a muxer (e.g. from an output cancelled mid-write) concerns one relay, which its own
// error path already handles; Node's default would end the whole thread. Synchronous uncaught exceptions still
// end it: the state is unknown then, and the main thread restarts the worker and its relays.
process.on('unhandledRejection', () => {});
port.postMessage({ type: 'ready' });
