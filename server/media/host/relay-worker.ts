// Entry of a relay worker thread (loaded through bootstrap.mjs). It hosts a RelayRunner and nothing else: no HTTP,
// no database; the main thread sends start/stop and receives segments, state and stats.
import { parentPort } from 'node:worker_threads';
import type { ToHost } from './protocol';
import { RelayRunner } from './relay-runner';

const port = parentPort;
if (!port) throw new Error('relay-worker must run in a worker thread');

const runner = new RelayRunner((msg, transfer) => port.postMessage(msg, transfer ?? []));
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
