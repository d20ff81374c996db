// What a relay worker thread loads. Registering tsx inside every worker (bootstrap.mjs) costs ~0.9 s of start-up
// and a second V8 isolate per worker for tsx's loader thread, measured at ~20 MB PSS each. Instead the worker's
// TypeScript is bundled once per process (server/bundle.mjs). If that fails for any reason, workers fall back to
// the tsx bootstrap: slower to start, same result.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleEntry } from '../../bundle.mjs';

const FALLBACK = new URL('./bootstrap.mjs', import.meta.url);
let entry: Promise<URL> | null = null;

/** The worker entry URL (built on first call, then cached for the life of the process). */
export function workerEntry(): Promise<URL> {
  entry ??= bundleEntry(fileURLToPath(new URL('./relay-worker.ts', import.meta.url)), 'relay-worker')
    .then((file) => pathToFileURL(file), () => FALLBACK);
  return entry;
}
