// Runs our TypeScript without a loader thread. `node --import tsx` keeps tsx's module hooks on a thread of their
// own for the life of the process: a second V8 isolate, ~28 MB PSS in an idle process, paid by the gateway and by
// every relay worker. So an entry point is bundled once with the esbuild that tsx itself depends on (present
// wherever the console can run) into node_modules/.cache/county-console/, beside the packages it imports, and run
// by plain node. Used by `npm start` (the gateway) and by the relay workers (server/media/host/worker-entry.ts).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const STALE_MS = 24 * 3600_000;

/**
 * Modules find their files through import.meta (migrations, config, fixtures, the worker's own entry): in one
 * bundle that would be the bundle's location, so each module gets its source file's values written in instead.
 */
const sourceImportMeta = {
  name: 'source-import-meta',
  setup(build) {
    build.onLoad({ filter: /\.(m?ts|m?js)$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      const contents = text
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href));
      return { contents, loader: /\.m?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/** Bundles `source` (an absolute path) and returns the bundle's path; `name` prefixes the cached file. */
export async function bundleEntry(source, name) {
  const require = createRequire(import.meta.url);
  const tsxEntry = require.resolve('tsx');
  const esbuild = createRequire(tsxEntry)('esbuild');
  const result = await esbuild.build({
    entryPoints: [source], bundle: true, platform: 'node', format: 'esm', target: 'node20',
    packages: 'external', write: false, logLevel: 'silent', legalComments: 'none', plugins: [sourceImportMeta],
  });
  const text = result.outputFiles?.[0]?.text;
  if (!text) throw new Error(`empty bundle of ${source}`);
  // node_modules/.cache/<us>/ sits below the project's node_modules, so package imports resolve as from source.
  const nodeModules = tsxEntry.slice(0, tsxEntry.lastIndexOf('/node_modules/') + '/node_modules'.length);
  const dir = join(nodeModules, '.cache', 'county-console');
  mkdirSync(dir, { recursive: true });
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const file = join(dir, `${name}-${hash}.mjs`);
  // Content-addressed and renamed into place: concurrent processes (test forks) agree on the same file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  sweep(dir, name, file);
  return file;
}

/** Arguments for `node` to run the TypeScript entry `source`: its bundle, or through tsx if bundling fails. */
export async function nodeArgsFor(source, name) {
  const bundle = await bundleEntry(source, name).catch(() => null);
  return bundle ? [bundle] : ['--import', 'tsx', source];
}

/** Bundles of older code versions are removed after a day (a running process may still be using a recent one). */
function sweep(dir, name, keep) {
  try {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (path !== keep && entry.startsWith(`${name}-`) && Date.now() - statSync(path).mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch { /* housekeeping only */ }
}
