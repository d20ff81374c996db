// User-management benchmark (issue #16): a 530-account staff sheet imported through the real API (dry run, then the
// commit that generates and hashes an initial password per account), and the time from an administrator's
// "disable" request to the disconnect of the disabled user's live socket.io connection, seen by a real client on
// loopback. Prints one JSON object. Goals, at 530 accounts and 20 disables: the commit ≤ 5 s, every disconnect ≤ 1 s.
// Quick look: `--users 50 --disables 3`.
//   npm run bench:users [-- --users N --disables N]
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { io as connect } from 'socket.io-client';
import type { UserImportResult, UserWithPassword } from '../../../server/contracts/users';
import { startBenchApp } from '../lib/app';
import { summary } from '../lib/percentile';
import { atMost, equals, printReport, statedAt } from '../lib/report';
import { roster, rosterCsv } from './roster';

const FULL = { users: 530, disables: 20 };
const { values } = parseArgs({ options: { users: { type: 'string', default: String(FULL.users) }, disables: { type: 'string', default: String(FULL.disables) } } });
const size = { users: Number(values.users), disables: Number(values.disables) };

// Listening: the disable measurement watches a real socket.io client's connection drop.
const bench = await startBenchApp('users', { listen: true, overrides: { login: { maxAttemptsPerMinute: 1000 } } });
const { fastify } = bench;
const base = `http://127.0.0.1:${(fastify.server.address() as { port: number }).port}`;
const signIn = bench.signIn;
const admin = await signIn('admin', 'admin123');

// ── Import ──────────────────────────────────────────────────────────────────────────────────────────────────────
const csv = rosterCsv(roster(size.users, 'bench'));
async function importSheet(dryRun: boolean) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const res = await fastify.inject({ method: 'POST', url: '/api/users/import', headers: admin.headers, payload: { content: csv, dryRun } });
  const used = process.cpuUsage(cpu);
  if (res.statusCode !== 200) throw new Error(`import: ${res.statusCode} ${res.body.slice(0, 300)}`);
  const result = res.json<UserImportResult>();
  return { sec: +((performance.now() - started) / 1000).toFixed(3), cpuSec: +((used.user + used.system) / 1e6).toFixed(3), result };
}
console.error(`importing ${size.users} accounts …`);
const dry = await importSheet(true);
const commit = await importSheet(false);

// ── Disable → socket disconnect ─────────────────────────────────────────────────────────────────────────────────
/** One account created, signed in (forced change done) and connected; then disabled while the clock runs. */
async function disableOnce(i: number): Promise<number> {
  const made = await fastify.inject({
    method: 'POST', url: '/api/users', headers: admin.headers,
    payload: { username: `bench.live${i}`, displayName: `在线${i}`, role: 'county_operator', orgUnitId: 1 },
  });
  const { user, initialPassword } = made.json<UserWithPassword>();
  const session = await signIn(user.username, initialPassword);
  await fastify.inject({ method: 'POST', url: '/api/account/password', headers: session.headers, payload: { currentPassword: initialPassword, newPassword: `Bench-Lantern-${i}-2026` } });
  const socket = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: session.cookie } });
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  const gone = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(performance.now())));
  const started = performance.now();
  const res = await fastify.inject({ method: 'POST', url: `/api/users/${user.id}/disable`, headers: admin.headers });
  if (res.statusCode !== 200) throw new Error(`disable: ${res.statusCode} ${res.body}`);
  const ms = (await gone) - started;
  socket.close();
  return ms;
}
console.error(`disabling ${size.disables} connected users …`);
const disconnects: number[] = [];
for (let i = 0; i < size.disables; i++) disconnects.push(await disableOnce(i));
const disconnect = summary(disconnects, [50, 95], 1)!;

const reached = size.users >= FULL.users && size.disables >= FULL.disables;
const goals = statedAt({
  importCommitSec: atMost(commit.sec, 5),
  everyAccountCreated: equals(commit.result.summary.created === size.users, true),
  disconnectMaxMs: atMost(disconnect.max, 1000),
}, `${FULL.users} accounts, ${FULL.disables} disables`, reached);
printReport('users', goals, {
  users: size.users,
  csvKB: +(csv.length / 1024).toFixed(1),
  import: {
    dryRunSec: dry.sec, dryRunCpuSec: dry.cpuSec, commitSec: commit.sec, commitCpuSec: commit.cpuSec,
    summary: commit.result.summary, serverSeconds: commit.result.seconds,
  },
  disconnectMs: disconnect,
  notes: 'commit includes generating and hashing one initial password per account (scrypt N=1024, server/security/passwords.ts)',
  cpus: cpus().length,
  loadAverage: loadavg().map((l) => +l.toFixed(2)),
});
await bench.close();
