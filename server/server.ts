// The process: configuration, logger, listen, graceful shutdown. Everything else lives in app.ts.
import { relative } from 'node:path';
import Fastify, { LogController } from 'fastify';
import app from './app';
import { acquireRunLock, RunLockHeldError, type RunLock } from './backup/run-lock';
import { ConfigError, loadConfig } from './config';
import { DEMO_USERS } from './demo/seed';
import { gatewayLoggerOptions } from './logger';
import { readSetupToken, setupTokenPath } from './setup/setup-token';

let config;
let lock: RunLock;
try {
  config = loadConfig();
  // One gateway per data directory, and none while a restore replaces its files (npm run admin -- restore).
  lock = acquireRunLock(config.dataDir, { kind: 'gateway', port: config.port });
} catch (err) {
  if (err instanceof ConfigError || err instanceof RunLockHeldError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const server = Fastify({
  logger: gatewayLoggerOptions(process.env.LOG_LEVEL ?? 'info'),
  // Live HLS polling makes per-request lines noise; LOG_REQUESTS=1 brings them back for debugging.
  logController: new LogController({ disableRequestLogging: process.env.LOG_REQUESTS !== '1' }),
  // Behind a TLS reverse proxy request.ip must be the browser's, or one throttle and one audit address serve everyone.
  trustProxy: config.trustProxy,
  connectionTimeout: 30_000,
  requestTimeout: 60_000,
});
server.addHook('onClose', async () => lock.release());
await server.register(app, { config });

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (closing) return;
    closing = true;
    server.log.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await server.close();
    clearTimeout(force);
    process.exit(0);
  });
}

await server.listen({ host: config.host, port: config.port });
const port = (server.server.address() as { port: number }).port;
lock.update({ port });
const url = `http://${config.host}:${port}/`;
console.log(`\n  综治视频调度平台 / County video dispatch console: ${url}`);
console.log(`  API docs: ${url}docs`);
if (config.demo.enabled) {
  console.log('  Demo logins:');
  for (const u of DEMO_USERS) console.log(`    ${u.username.padEnd(10)} ${u.password.padEnd(11)} ${u.role} (${u.displayName})`);
}
// The setup plugin keeps a token file exactly while the console has no user: then say how to get in.
const setupToken = readSetupToken(config.dataDir);
if (setupToken) {
  const absolute = setupTokenPath(config.dataDir);
  const near = relative(process.cwd(), absolute);
  const tokenFile = near.startsWith('..') ? absolute : near;
  console.log('  尚无管理员 / No administrator yet. Create the first one (and the county) in either way:');
  // The token rides in the fragment (#), which browsers never send: it stays out of proxy and access logs.
  console.log(`    1. in a browser:     ${url}setup#token=${setupToken}`);
  console.log('    2. on this server:   npm run admin -- create-admin --username <name> --display-name <name> \\');
  console.log('                           --county-name <county> --county-code <6-digit code>   (then prompts twice, echo off)');
  console.log(`  The setup token is also in ${tokenFile} (owner-only); it stops working once the first administrator exists.`);
}
console.log('');
