// One gateway node in a child process, so a test can kill it with SIGKILL (relay-leases.test.ts): the real app on
// the given PostgreSQL database and data directory (shared with the parent's node: the keys and the cluster
// secret live there), listening on 127.0.0.1 at a free port. Prints one JSON line {port, nodeId} once listening.
import Fastify from 'fastify';
import fp from 'fastify-plugin';
import app from '../../server/app';
import { loadConfig } from '../../server/config';
import { TEST_SIMULATOR_NET } from '../helpers/app';

const [database, dataDir, nodeId] = process.argv.slice(2);
const config = loadConfig({
  env: {},
  overrides: {
    host: '127.0.0.1', port: 0, dataDir, database, cluster: { nodeId, advertiseUrl: '', secret: '' },
    demo: { enabled: true, simulateCameras: false, simulatorNet: TEST_SIMULATOR_NET }, health: { enabled: false },
    dispatch: { overdueScanSec: 0 }, webrtc: { bindAddress: '127.0.0.1' },
  },
});
const fastify = Fastify({ logger: false });
await fastify.register(fp(app), { config });
await fastify.listen({ host: '127.0.0.1', port: 0 });
const { port } = fastify.server.address() as { port: number };
process.stdout.write(`${JSON.stringify({ port, nodeId })}\n`);
