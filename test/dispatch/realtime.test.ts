// Real socket.io clients on loopback: task events reach the receiving unit and the units above it, never a sibling,
// and a client that was away gets what it missed through events:since.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Danger, TaskSummary } from '../../server/contracts/dispatch';
import type { ClientToServerEvents, DurableEventName, ReplayResult, ServerToClientEvents } from '../../server/contracts/events';
import type { Login } from '../helpers/app';
import { api, buildWorld, dangerBody, type World } from './helpers';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
const WATCHED: DurableEventName[] = ['danger:created', 'task:received', 'task:status', 'task:overdue', 'layout:pushed'];
type Seen = Array<{ event: DurableEventName; payload: Record<string, unknown> }>;

describe('dispatch events over socket.io, in scope only', () => {
  let w: World;
  let http: ReturnType<typeof api>;
  let base: string;
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    w = await buildWorld();
    http = api(w.t);
    await w.t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(w.t.app.server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await w.t.close();
  });

  async function open(who: Login): Promise<{ socket: ClientSocket; seen: Seen; lastSeq: number }> {
    const socket: ClientSocket = connect(base, { transports: ['websocket'], extraHeaders: { cookie: who.cookie }, reconnection: false, forceNew: true });
    sockets.push(socket);
    const seen: Seen = [];
    for (const event of WATCHED) (socket.on as (e: string, f: (p: Record<string, unknown>) => void) => void)(event, (payload) => seen.push({ event, payload }));
    const lastSeq = await new Promise<number>((resolve, reject) => {
      socket.once('session:ready', ({ lastSeq }) => resolve(lastSeq));
      socket.once('connect_error', reject);
    });
    return { socket, seen, lastSeq };
  }

  /** A ping round trip on every socket: whatever was emitted before has arrived. */
  const settle = (...clients: Array<{ socket: ClientSocket }>) => Promise.all(clients.map((c) => new Promise((r) => c.socket.emit('ping', r))));
  const names = (seen: Seen) => seen.map((s) => `${s.event}:${s.payload.status ?? s.payload.toUnitName ?? ''}`);

  it('delivers each step to the units concerned and no sibling township', async () => {
    const [county, dongcheng, chengguan, village] = await Promise.all([w.county, w.dongcheng, w.chengguan, w.village].map(open));
    const all = [county, dongcheng, chengguan, village];

    const danger = (await http.post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng))).body;
    await settle(...all);
    expect([county, dongcheng, village].map((c) => names(c.seen))).toEqual([['danger:created:'], ['danger:created:'], ['danger:created:']]);
    expect(chengguan.seen).toEqual([]);

    const t1 = (await http.post<TaskSummary>(w.county, `/api/dangers/${danger.id}/dispatch`, { toUnitId: w.units.dongcheng, note: '请处置' })).body;
    await settle(...all);
    const received = dongcheng.seen.find((s) => s.event === 'task:received')!.payload;
    expect(received).toMatchObject({ taskId: t1.id, dangerId: danger.id, fromUnitName: '安澜县', toUnitName: '东城街道', sentBy: 'county', note: '请处置', category: 'fire', severity: 'major' });
    expect(received.seq).toEqual(expect.any(Number));
    expect(county.seen.at(-1)).toEqual({ event: 'task:received', payload: received });
    expect(village.seen.map((s) => s.event)).toEqual(['danger:created']);
    expect(chengguan.seen).toEqual([]);

    await http.post(w.dongcheng, `/api/dispatch/tasks/${t1.id}/accept`);
    await http.post(w.dongcheng, `/api/dispatch/tasks/${t1.id}/redispatch`, { toUnitId: w.units.dongfeng });
    await settle(...all);
    expect(names(dongcheng.seen).slice(1)).toEqual(['task:received:东城街道', 'task:status:accepted', 'task:status:delegated', `task:received:${w.villageName}`]);
    expect(names(county.seen)).toEqual(names(dongcheng.seen));
    expect(names(village.seen)).toEqual(['danger:created:', `task:received:${w.villageName}`]);
    expect(chengguan.seen).toEqual([]);

    await http.post(w.county, '/api/dispatch/layouts', { toUnitId: w.units.chengguan, cameraIds: [w.cameras.chengguan], note: '请关注' });
    await settle(...all);
    expect(chengguan.seen.map((s) => s.payload)).toEqual([expect.objectContaining({ fromUnitName: '安澜县', sentBy: 'county', cameraIds: [w.cameras.chengguan], note: '请关注' })]);
    expect(dongcheng.seen.some((s) => s.event === 'layout:pushed')).toBe(false);
    expect(village.seen.some((s) => s.event === 'layout:pushed')).toBe(false);

    // Overdue marks go to the receiving unit and up.
    await w.t.app.dispatch.scanOverdue(new Date(Date.parse(t1.deadline) + 1000));
    await settle(...all);
    expect(village.seen.filter((s) => s.event === 'task:overdue')).toHaveLength(1);
    expect(dongcheng.seen.filter((s) => s.event === 'task:overdue')).toHaveLength(2);
    expect(chengguan.seen.some((s) => s.event === 'task:overdue')).toBe(false);
  });

  it('replays what a village missed while offline, and only what it may see', async () => {
    const village = await open(w.village);
    const since = village.lastSeq;
    village.socket.close();

    const other = (await http.post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.chengguan))).body;
    await http.post(w.county, `/api/dangers/${other.id}/dispatch`, { toUnitId: w.units.chengguan });
    const mine = (await http.post<Danger>(w.county, '/api/dangers', dangerBody(w.cameras.dongfeng))).body;
    const t1 = (await http.post<TaskSummary>(w.county, `/api/dangers/${mine.id}/dispatch`, { toUnitId: w.units.dongcheng })).body;
    await http.post(w.dongcheng, `/api/dispatch/tasks/${t1.id}/accept`);
    const t2 = (await http.post<TaskSummary>(w.dongcheng, `/api/dispatch/tasks/${t1.id}/redispatch`, { toUnitId: w.units.dongfeng })).body;
    await http.post(w.dongcheng, '/api/dispatch/layouts', { toUnitId: w.units.dongfeng, cameraIds: [w.cameras.dongfeng], note: '看这里' });

    const back = await open(w.village);
    const replay = await new Promise<ReplayResult>((r) => back.socket.emit('events:since', since, r));
    expect(replay.more).toBe(false);
    expect(replay.events.map((e) => e.event)).toEqual(['danger:created', 'task:received', 'layout:pushed']);
    expect(replay.events[1].payload).toMatchObject({ taskId: t2.id, toUnitName: w.villageName });
    expect(JSON.stringify(replay.events)).not.toContain('城关镇');
  });
});
