// The process: configuration, logger, listen, graceful shutdown. Everything else lives in app.ts.
import Fastify, { LogController } from 'fastify';
import app from './app';
import { ConfigError, loadConfig } from './config';
import { DEMO_USERS } from './demo/seed';
import { gatewayLoggerOptions } from './logger';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}

const server = Fastify({
  logger: gatewayLoggerOptions(process.env.LOG_LEVEL ?? 'info'),
  // Live HLS polling makes per-request lines noise; LOG_REQUESTS=1 brings them back for debugging.
  logController: new LogController({ disableRequestLogging: process.env.LOG_REQUESTS !== '1' }),
  trustProxy: false,
  connectionTimeout: 30_000,
  requestTimeout: 60_000,
});
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
const url = `http://${config.host}:${(server.server.address() as { port: number }).port}/`;
console.log(`\n  综治视频调度平台 / County video dispatch console: ${url}`);
console.log(`  API docs: ${url}docs`);
if (config.demo.enabled) {
  console.log('  Demo logins:');
  for (const u of DEMO_USERS) console.log(`    ${u.username.padEnd(10)} ${u.password.padEnd(11)} ${u.role} (${u.displayName})`);
}
console.log('');
