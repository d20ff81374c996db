// Maintenance tickets (运维工单) end to end against real simulated cameras on loopback (this file's simulator
// indexes: 4300–4301): an outage past the threshold opens a ticket to the network's maintenance unit, which closes
// itself when health checks see the camera again; the actions with their roles and scope; 画面异常 from a user; at
// most one open ticket per camera; availability (在线率, 完好率) with its CSV.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Availability, Maintainer, Ticket, TicketList } from '../../server/contracts/maintenance';
import type { TicketChangedEvent } from '../../server/contracts/events';
import { planCamera, type SimCamera, startCamera } from '../../scripts/simulator/index';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

let t: TestApp;
let dark: SimCamera;
let other: SimCamera;
const ids = { dark: 0, other: 0 };
const s = {} as Record<keyof typeof DEMO, Login>;

beforeAll(async () => {
  [dark, other] = await Promise.all([
    startCamera(planCamera({ index: 4300, name: 'ticket-dark', network: 'skynet', orgUnitCode: '339901002001' })),
    startCamera(planCamera({ index: 4301, name: 'ticket-other', network: 'xueliang', orgUnitCode: '339901001' })),
  ]);
  // Checks every 1.2 s; a camera offline 0.6 s gets a ticket; the sweep runs every 0.2 s.
  t = await buildTestApp({
    health: { enabled: true, cycleMinutes: 0.02, concurrency: 8, timeoutMs: 800 },
    maintenance: { offlineMinutes: 0.01, sweepSec: 0.2 },
  });
  await t.app.db.run('DELETE FROM cameras');
  const unit = async (code: string) => (await t.app.repos.orgUnits.findByCode(code))!.id;
  ids.dark = await t.app.repos.cameras.insert({
    network: 'skynet', externalId: 'T-DARK', name: '运维测试-团结路口', orgUnitId: await unit('339901002001'), sourceKind: 'rtsp',
    endpoint: dark.rtspUrl, streamUrl: dark.rtspUrl, credentials: { username: 'admin', password: dark.spec.password },
  });
  ids.other = await t.app.repos.cameras.insert({
    network: 'xueliang', externalId: 'T-OTHER', name: '运维测试-城关', orgUnitId: await unit('339901001'), sourceKind: 'rtsp',
    endpoint: other.rtspUrl, streamUrl: other.rtspUrl, credentials: { username: 'admin', password: other.spec.password },
  });
  for (const name of Object.keys(DEMO) as Array<keyof typeof DEMO>) s[name] = await login(t.app, DEMO[name][0], DEMO[name][1]);
});
afterAll(async () => {
  await t?.close();
  await Promise.all([dark, other].filter(Boolean).map((c) => c.close()));
});

const get = async <T>(who: Login, url: string) => {
  const res = await t.app.inject({ url, headers: { cookie: who.cookie } });
  return { status: res.statusCode, body: res.json<T>() };
};
const post = async <T>(who: Login, url: string, payload: unknown, method: 'POST' | 'PUT' = 'POST') => {
  const res = await t.app.inject({ method, url, headers: who.headers, payload: payload as object });
  return { status: res.statusCode, body: res.json<T>() };
};

/** Waits (bounded: 20 s) for a condition that the sweep or the health checks bring about. */
async function until<T>(what: string, probe: () => Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never: ${what}`);
}

async function ticketEvents(ticketId: number): Promise<TicketChangedEvent[]> {
  const root = (await t.app.repos.orgUnits.findByCode('339901'))!;
  return (await t.app.repos.events.since(root.path, 0, 10_000))
    .filter((e) => e.event === 'ticket:changed' && e.payload.ticketId === ticketId)
    .map((e) => e.payload as TicketChangedEvent);
}

describe('maintenance tickets', () => {
  it('lets the administrator only set who maintains a network', async () => {
    const body = { unitName: '县电信分公司', contact: '李工', phone: '138 0000 0000' };
    expect((await post(s.county, '/api/maintenance/maintainers/skynet', body, 'PUT')).status).toBe(403);
    expect((await post(s.admin, '/api/maintenance/maintainers/nonet', body, 'PUT')).status).toBe(404);
    expect((await post(s.admin, '/api/maintenance/maintainers/skynet', { ...body, phone: 'call me' }, 'PUT')).status).toBe(400);
    const set = await post<Maintainer>(s.admin, '/api/maintenance/maintainers/skynet', body, 'PUT');
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ network: 'skynet', unitName: '县电信分公司', contact: '李工' });
    const list = await get<Maintainer[]>(s.village, '/api/maintenance/maintainers');
    expect(list.body.find((m) => m.network === 'skynet')?.unitName).toBe('县电信分公司');
  });

  it('opens a ticket for a camera dark past the threshold, and it closes itself when the camera returns', async () => {
    await until('camera online', async () => (await t.app.repos.cameras.byId(ids.dark))?.status === 'online');
    dark.setFault({ kind: 'offline' });
    const ticket = await until('a ticket', async () => (await get<TicketList>(s.dongcheng, `/api/maintenance/tickets?cameraId=${ids.dark}&state=open`)).body.items[0]);
    expect(ticket).toMatchObject({
      cameraId: ids.dark, state: 'dispatched', origin: 'offline', reason: 'refused', unitName: '县电信分公司', contact: '李工', openedBy: 'system',
      network: 'skynet', cameraStatus: 'offline',
    });

    // The maintaining side: a village officer sees it but does not act; "fixed" is checked and refused while dark.
    expect((await get<TicketList>(s.village, '/api/maintenance/tickets?state=open')).body.items.map((x) => x.id)).toContain(ticket.id);
    expect((await post(s.village, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'start' })).status).toBe(403);
    expect((await post(s.chengguan, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'start' })).status).toBe(404);
    const started = await post<Ticket>(s.dongcheng, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'start', note: '已通知电信' });
    expect(started.body).toMatchObject({ state: 'repairing', note: '已通知电信' });
    expect((await post(s.dongcheng, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'start' })).status).toBe(409);
    expect((await post(s.dongcheng, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'fixed' })).status).toBe(409);
    expect((await post(s.dongcheng, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'close', note: '误报' })).status).toBe(403);
    expect((await post(s.county, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'close' })).status).toBe(400);
    expect((await post(s.county, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'online' })).status).toBe(400);

    // A second report on the same camera joins the open ticket.
    const again = await post<{ ticket: Ticket; created: boolean }>(s.village, '/api/maintenance/tickets', { cameraId: ids.dark, note: '画面黑屏' });
    expect(again.body).toMatchObject({ created: false, ticket: { id: ticket.id } });

    dark.setFault({ kind: 'none' });
    await dark.settled();
    const done = await until('recovered', async () => {
      const x = (await get<Ticket>(s.dongcheng, `/api/maintenance/tickets/${ticket.id}`)).body;
      return x.state === 'recovered' && x;
    });
    expect(done).toMatchObject({ closedBy: 'system', cameraStatus: 'online' });
    expect(done.recoveredAt).not.toBeNull();
    expect((await ticketEvents(ticket.id)).map((e) => [e.action, e.state, e.actor])).toEqual([
      ['open', 'dispatched', 'system'], ['start', 'repairing', 'dongcheng'], ['online', 'recovered', 'system'],
    ]);
    const audit = await get<{ items: Array<{ action: string; actorType: string }> }>(s.admin, `/api/audit?targetType=maintenance_ticket&targetId=${ticket.id}`);
    expect(audit.body.items.map((r) => `${r.action}/${r.actorType}`).sort()).toEqual([
      'maintenance.ticket-open/system', 'maintenance.ticket-recovered/system', 'maintenance.ticket-start/user',
    ]);
    expect((await post(s.dongcheng, `/api/maintenance/tickets/${ticket.id}/actions`, { action: 'start' })).status).toBe(409);
  });

  it('takes 画面异常 from a user who sees the camera; fixed ends it on the word of the maintaining side', async () => {
    expect((await post(s.dongcheng, '/api/maintenance/tickets', { cameraId: ids.other, note: '镜头被遮挡' })).status).toBe(404);
    expect((await post(s.chengguan, '/api/maintenance/tickets', { cameraId: ids.other, note: '' })).status).toBe(400);
    const opened = await post<{ ticket: Ticket; created: boolean }>(s.chengguan, '/api/maintenance/tickets', { cameraId: ids.other, note: '镜头被遮挡' });
    expect(opened.body).toMatchObject({ created: true, ticket: { origin: 'picture', state: 'dispatched', unitName: '未配置运维单位', openedBy: 'chengguan' } });
    const id = opened.body.ticket.id;
    expect((await get(s.dongcheng, `/api/maintenance/tickets/${id}`)).status).toBe(404);
    expect((await get<TicketList>(s.dongcheng, '/api/maintenance/tickets')).body.items.map((x) => x.id)).not.toContain(id);
    expect((await get<TicketList>(s.county, '/api/maintenance/tickets')).body.items.map((x) => x.id)).toContain(id);
    // The camera is online all along: the sweep must not end a picture ticket.
    await t.app.maintenance.sweep();
    expect((await get<Ticket>(s.chengguan, `/api/maintenance/tickets/${id}`)).body.state).toBe('dispatched');
    const fixed = await post<Ticket>(s.chengguan, `/api/maintenance/tickets/${id}/actions`, { action: 'fixed', note: '已清理' });
    expect(fixed.body).toMatchObject({ state: 'recovered', closedBy: 'chengguan' });
  });

  it('moves an open ticket with its camera to another unit', async () => {
    const opened = await post<{ ticket: Ticket; created: boolean }>(s.chengguan, '/api/maintenance/tickets', { cameraId: ids.other, note: '画面模糊' });
    expect(opened.body.created).toBe(true);
    const dongchengUnit = (await t.app.repos.orgUnits.findByCode('339901002'))!.id;
    const moved = await t.app.inject({ method: 'PATCH', url: `/api/cameras/${ids.other}`, headers: s.county.headers, payload: { orgUnitId: dongchengUnit } });
    expect(moved.statusCode, moved.body).toBe(200);
    await t.app.maintenance.sweep();
    expect((await get<Ticket>(s.dongcheng, `/api/maintenance/tickets/${opened.body.ticket.id}`)).body).toMatchObject({ orgUnitId: dongchengUnit, orgUnitName: '东城街道' });
    expect((await get(s.chengguan, `/api/maintenance/tickets/${opened.body.ticket.id}`)).status).toBe(404);
    // Back where it was, and the ticket closed by the centre with a reason, for the figures below.
    const chengguanUnit = (await t.app.repos.orgUnits.findByCode('339901001'))!.id;
    await t.app.inject({ method: 'PATCH', url: `/api/cameras/${ids.other}`, headers: s.county.headers, payload: { orgUnitId: chengguanUnit } });
    await t.app.maintenance.sweep();
    const closed = await post<Ticket>(s.county, `/api/maintenance/tickets/${opened.body.ticket.id}/actions`, { action: 'close', note: '重复报修' });
    expect(closed.body).toMatchObject({ state: 'closed', closedBy: 'county', orgUnitId: chengguanUnit });
  });

  it('reports 在线率 and 完好率 per network and per township, with tickets, and as CSV', async () => {
    const res = await get<Availability>(s.county, '/api/stats/availability');
    expect(res.status).toBe(200);
    const skynet = res.body.byNetwork.find((n) => n.key === 'skynet')!;
    expect(skynet.cameras).toBe(1);
    expect(skynet.ticketsOpened).toBe(1);
    expect(skynet.openTickets).toBe(0);
    expect(skynet.onlineRate).toBeGreaterThan(0);
    expect(skynet.onlineRate).toBeLessThan(1);
    expect(skynet.intactRate).toBeLessThan(1);
    const dongcheng = res.body.byUnit.find((u) => u.name === '东城街道')!;
    expect(dongcheng).toMatchObject({ cameras: 1, ticketsOpened: 1 });
    expect(res.body.total.cameras).toBe(2);
    // A township sees its own area only.
    const own = await get<Availability>(s.chengguan, '/api/stats/availability');
    expect(own.body.total).toMatchObject({ cameras: 1, ticketsOpened: 2, openTickets: 0 });
    expect((await get(s.chengguan, `/api/stats/availability?orgUnitId=${dongcheng.key}`)).status).toBe(404);
    const csv = await t.app.inject({ url: '/api/stats/availability.csv?groupBy=network', headers: { cookie: s.county.cookie } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('在线率 Online rate');
    expect(csv.body.split('\r\n').find((l) => l.startsWith('天网'))).toBeTruthy();
  });
});
