// Two gateway nodes on one PostgreSQL database (issue #22): real apps listening on loopback, real socket.io clients.
// A danger tagged through node A reaches a township officer's socket held by node B (and not a sibling township's),
// node B replays from the shared event log what node A wrote, and the event log's seq order is commit order even
// when two nodes append at once. Skips, with the reason, where PostgreSQL is not installed.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Danger } from '../../server/contracts/dispatch';
import type { AccountSession } from '../../server/contracts/users';
import type { ClientToServerEvents, ReplayResult, ServerToClientEvents } from '../../server/contracts/events';
import { Database } from '../../server/db/database';
import { migrate, migrationFiles, PG_MIGRATIONS_DIR } from '../../server/db/migrate';
import { EVENT_LOG_LOCK } from '../../server/db/repositories/events';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres';
import { dangerBody } from '../dispatch/helpers';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Seen = Array<{ seq: number; id: number }>;

const skip = postgresUnavailable();

/** Polls a condition (no fixed sleeps): the adapter's LISTEN and the nodes' heartbeats come up asynchronously. */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(skip)('socket.io and the event log across two nodes on PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let baseB: string;
  let county: Login;
  let dongcheng: Login;
  let chengguan: Login;
  let dongfengCamera: number;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    const database = await createTestDatabase('cluster');
    // One after the other: A migrates and seeds the demo county, B finds it done. B shares A's data directory
    // because the keys live there and every node of a cluster must hold the same ones.
    a = await buildTestApp({ database, dispatch: { overdueScanSec: 0 } });
    b = await buildTestApp({ database, dataDir: a.dataDir, dispatch: { overdueScanSec: 0 } });
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    baseB = `http://127.0.0.1:${(b.app.server.address() as { port: number }).port}`;
    // Signed in on node A; the session row is shared, so the cookie opens node B's socket too.
    [county, dongcheng, chengguan] = await Promise.all([DEMO.county, DEMO.dongcheng, DEMO.chengguan].map(([u, p]) => login(a.app, u, p)));
    const dongfeng = (await a.app.repos.orgUnits.findByCode('339901002001'))!;
    dongfengCamera = (await a.app.repos.cameras.list(dongfeng.path, { limit: 1 })).items[0].id;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    // B first: it shares A's data directory, which A's close removes.
    await b?.close();
    await a?.close();
  });

  async function openOnB(who: Login): Promise<{ socket: ClientSocket; seen: Seen; lastSeq: number }> {
    const socket: ClientSocket = connect(baseB, { transports: ['websocket'], extraHeaders: { cookie: who.cookie }, reconnection: false, forceNew: true });
    sockets.push(socket);
    const seen: Seen = [];
    socket.on('danger:created', (p) => seen.push({ seq: p.seq, id: p.dangerId }));
    const lastSeq = await new Promise<number>((resolve, reject) => {
      socket.once('session:ready', ({ lastSeq }) => resolve(lastSeq));
      socket.once('connect_error', reject);
    });
    return { socket, seen, lastSeq };
  }

  it('a danger tagged through node A reaches the township socket on node B, and B replays it', async () => {
    const officer = await openOnB(dongcheng);
    const sibling = await openOnB(chengguan);
    // The cluster has formed when node A, asking every node, finds the officer's socket that node B holds.
    await until('node A to see node B\'s sockets', async () => {
      const all = await a.app.realtime.io.fetchSockets();
      return all.some((s) => s.id === officer.socket.id) ? true : undefined;
    });

    const res = await a.app.inject({ method: 'POST', url: '/api/dangers', headers: county.headers, payload: dangerBody(dongfengCamera) });
    expect(res.statusCode).toBe(201);
    const danger = res.json() as Danger;

    await until('the event on node B', async () => (officer.seen.length ? true : undefined));
    expect(officer.seen).toHaveLength(1);
    const { seq, id } = officer.seen[0];
    expect(id).toBe(danger.id);
    expect(seq).toBeGreaterThan(officer.lastSeq);
    // A ping round trip on the sibling's socket: had node B forwarded the event to 城关镇, it would be there by now.
    await new Promise((r) => sibling.socket.emit('ping', r));
    expect(sibling.seen).toEqual([]);

    // Replay on node B of what node A wrote: the officer's view from before the danger.
    const replay = await new Promise<ReplayResult>((r) => officer.socket.emit('events:since', officer.lastSeq, r));
    const replayed = replay.events.filter((e) => e.event === 'danger:created');
    expect(replayed.map((e) => e.payload.seq)).toEqual([seq]);
    expect(replayed[0].payload).toMatchObject({ dangerId: danger.id, cameraId: dongfengCamera });
    // And none to the sibling township.
    const siblingReplay = await new Promise<ReplayResult>((r) => sibling.socket.emit('events:since', sibling.lastSeq, r));
    expect(siblingReplay.events.filter((e) => e.event === 'danger:created')).toEqual([]);
  });

  it('ending a session through node A disconnects its socket on node B', async () => {
    const desk = await login(a.app, ...DEMO.village);
    const phone = await login(a.app, ...DEMO.village);
    const { socket } = await openOnB(phone);
    const closed = new Promise<string>((r) => socket.once('disconnect', (reason) => r(reason)));
    await until('node A to see node B\'s socket', async () => ((await a.app.realtime.io.fetchSockets()).some((s) => s.id === socket.id) ? true : undefined));
    const list = (await a.app.inject({ url: '/api/account/sessions', headers: { cookie: desk.cookie } })).json<AccountSession[]>();
    const other = list.find((s) => !s.current)!;
    expect((await a.app.inject({ method: 'DELETE', url: `/api/account/sessions/${other.id}`, headers: desk.headers })).statusCode).toBe(204);
    expect(await closed).toBe('io server disconnect');
  });

  it('orders the event log by commit: a second node waits for the first one\'s transaction before drawing its seq', async () => {
    // Any durable event will do; the payload is not read back here beyond its seq.
    const payload = { dangerId: 0 } as never;
    let bSeq: number | undefined;
    let bAppend: Promise<void> | undefined;
    const aSeq = await a.app.db.transaction(async (tx) => {
      const first = await a.app.repos.events.append('/1/', 'danger:created', payload, tx);
      // Node B appends outside any transaction while A's is still open …
      bAppend = b.app.repos.events.append('/1/', 'danger:created', payload).then((e) => void (bSeq = e.seq));
      // … and is seen waiting on the event log's lock, without a seq yet.
      await until('node B to wait for the event log lock', async () => {
        const row = await b.app.db.get<{ n: number }>(
          "SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = ?", [EVENT_LOG_LOCK % 2 ** 32],
        );
        return row && row.n > 0 ? true : undefined;
      });
      expect(bSeq).toBeUndefined();
      return first.seq;
    });
    await bAppend;
    expect(bSeq).toBeGreaterThan(aSeq);
    // A reader that saw B's row sees A's too: replay from before A's lists both, in order.
    const seqs = (await b.app.repos.events.since('/', aSeq - 1, 10)).map((e) => e.payload.seq);
    expect(seqs).toEqual([aSeq, bSeq]);
  });
});

describe.skipIf(skip)('two nodes starting at once on a fresh PostgreSQL database', () => {
  it('apply each migration exactly once between them', async () => {
    const url = await createTestDatabase('migrate_race');
    const [one, two] = await Promise.all([Database.connect(url), Database.connect(url)]);
    try {
      const [a, b] = await Promise.all([migrate(one), migrate(two)]);
      // Without the lock both would run 001 and one would fail on "relation already exists".
      expect([...a, ...b].sort()).toEqual(migrationFiles(PG_MIGRATIONS_DIR));
      expect((await one.get<{ n: number }>('SELECT count(*) AS n FROM schema_migrations'))!.n).toBe(migrationFiles(PG_MIGRATIONS_DIR).length);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
