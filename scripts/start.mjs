// `npm start`: build the web console when its build is missing or older than its sources, then run the gateway.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { nodeArgsFor } from '../server/bundle.mjs';
import { gatewayEnv } from './gateway-env.mjs';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'dist/web/index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const webDir = join(root, 'web');
const stale = !existsSync(built) || (existsSync(webDir) && newestMtime(webDir) > statSync(built).mtimeMs);
if (stale && existsSync(join(webDir, 'index.html'))) {
  console.log('Building the web console…');
  const build = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

// The gateway runs as one bundle on plain node (server/bundle.mjs: no tsx loader thread, ~28 MB less); through
// tsx if bundling fails for any reason.
const args = await nodeArgsFor(join(root, 'server/server.ts'), 'gateway');
const gateway = spawn(process.execPath, args, { cwd: root, env: gatewayEnv(), stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => gateway.kill(signal));
gateway.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
