// What a relay worker thread loads. Registering tsx inside every worker (bootstrap.mjs) costs ~0.9 s of start-up
// and a second V8 isolate per worker for tsx's loader thread, measured at ~20 MB PSS each. Instead the worker's
// TypeScript is bundled once per process, with the esbuild that tsx itself depends on (so it is present wherever
// the gateway can run), into node_modules/.cache/ (so bare imports and createRequire still resolve from the
// project). If that fails for any reason, workers fall back to the tsx bootstrap: slower to start, same result.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface EsbuildLike {
  build(opts: Record<string, unknown>): Promise<{ outputFiles?: { text: string }[] }>;
}

const FALLBACK = new URL('./bootstrap.mjs', import.meta.url);
const STALE_MS = 24 * 3600_000;
let entry: Promise<URL> | null = null;

/** The worker entry URL (built on first call, then cached for the life of the process). */
export function workerEntry(): Promise<URL> {
  entry ??= bundle().catch(() => FALLBACK);
  return entry;
}

async function bundle(): Promise<URL> {
  const require = createRequire(import.meta.url);
  const tsxEntry = require.resolve('tsx');
  const esbuild = createRequire(tsxEntry)('esbuild') as EsbuildLike;
  const source = fileURLToPath(new URL('./relay-worker.ts', import.meta.url));
  const result = await esbuild.build({
    entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', write: false, logLevel: 'silent', legalComments: 'none',
  });
  const text = result.outputFiles?.[0]?.text;
  if (!text) throw new Error('empty worker bundle');
  // node_modules/.cache/<us>/ sits below the project's node_modules, so package imports resolve as from source.
  const nodeModules = tsxEntry.slice(0, tsxEntry.lastIndexOf(`${'/'}node_modules${'/'}`) + '/node_modules'.length);
  const dir = join(nodeModules, '.cache', 'county-console');
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = join(dir, `relay-worker-${hash}.mjs`);
  // Content-addressed and renamed into place: concurrent processes (test forks) agree on the same file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  sweep(dir, file);
  return pathToFileURL(file);
}

/** Bundles of older code versions are removed after a day (a running process may still be using a recent one). */
function sweep(dir: string, keep: string): void {
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path !== keep && name.startsWith('relay-worker-') && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch { /* housekeeping only */ }
}

