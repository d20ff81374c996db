// Ending sessions at once (issue #16), with real socket.io clients on loopback: disabling a user, changing their
// role or unit, deleting or resetting them disconnects their live sockets and their cookies stop working; the
// user's own page lists their sessions and ends one (that session's socket only); a password change ends the others.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contracts/events';
import type { AccountSession } from '../../server/contracts/users';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';
import { activate, createUser, GOOD_PASSWORD, units, type UnitName } from './helpers';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let t: TestApp;
let admin: Login;
let base: string;
let u: Record<UnitName, { id: number; name: string; path: string }>;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  t = await buildTestApp({ login: { maxAttemptsPerMinute: 1000 } });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
  admin = await login(t.app, ...DEMO.admin);
  u = await units(t);
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await t?.close();
});

/** A connected socket (after its greeting) and a promise of the reason it is disconnected for. */
async function live(session: Login): Promise<{ socket: ClientSocket; closed: Promise<string> }> {
  const socket: ClientSocket = connect(base, { transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: { cookie: session.cookie } });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('session:ready', () => resolve());
    socket.once('connect_error', reject);
  });
  return { socket, closed: new Promise((resolve) => socket.once('disconnect', (reason) => resolve(reason))) };
}

let n = 0;
async function officer(): Promise<{ id: number; username: string; session: Login }> {
  const username = `live.${++n}`;
  const made = await createUser(t, admin, { username, displayName: `在线${n}`, role: 'township_officer', orgUnitId: u.dongcheng.id });
  return { id: made.user.id, username, session: await activate(t, username, made.initialPassword) };
}

const still = async (socket: ClientSocket) => {
  const pong = await socket.timeout(5000).emitWithAck('ping');
  return typeof pong.serverTime === 'string';
};

describe('an administrator ending a user\'s sessions', () => {
  it.each([
    ['disable', (id: number) => t.app.inject({ method: 'POST', url: `/api/users/${id}/disable`, headers: admin.headers })],
    ['delete', (id: number) => t.app.inject({ method: 'DELETE', url: `/api/users/${id}`, headers: admin.headers })],
    ['reset the password', (id: number) => t.app.inject({ method: 'POST', url: `/api/users/${id}/reset-password`, headers: admin.headers })],
    ['change the role', (id: number) => t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: admin.headers, payload: { role: 'admin' } })],
    ['move to another unit', (id: number) => t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: admin.headers, payload: { orgUnitId: u.chengguan.id } })],
  ])('%s disconnects the user\'s live sockets and ends their cookies', async (_what, act) => {
    const target = await officer();
    const bystander = await officer();
    const [a, b] = [await live(target.session), await live(target.session)];
    const other = await live(bystander.session);
    const res = await act(target.id);
    expect(res.statusCode, res.body).toBeLessThan(300);
    // The server closed them: socket.io reports that as 'io server disconnect'.
    expect(await a.closed).toBe('io server disconnect');
    expect(await b.closed).toBe('io server disconnect');
    expect(a.socket.connected).toBe(false);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: target.session.cookie } })).statusCode).toBe(401);
    // Nobody else's.
    expect(await still(other.socket)).toBe(true);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: bystander.session.cookie } })).statusCode).toBe(200);
  });

  it('a rename leaves the sessions alone', async () => {
    const target = await officer();
    const s = await live(target.session);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${target.id}`, headers: admin.headers, payload: { displayName: '改名' } });
    expect(res.statusCode).toBe(200);
    expect(await still(s.socket)).toBe(true);
  });

  it('a disabled user cannot open a socket with an old cookie', async () => {
    const target = await officer();
    await t.app.inject({ method: 'POST', url: `/api/users/${target.id}/disable`, headers: admin.headers });
    await expect(live(target.session)).rejects.toThrow(/unauthorized/);
  });
});

describe('the user\'s own sessions (我的账户)', () => {
  it('lists them with the current one marked, and ends another one with its socket only', async () => {
    const me = await officer();
    const phone = await login(t.app, me.username, GOOD_PASSWORD);
    const [desk, mobile] = [await live(me.session), await live(phone)];
    const list = (await t.app.inject({ url: '/api/account/sessions', headers: { cookie: me.session.cookie } })).json<AccountSession[]>();
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.every((s) => s.ip === '127.0.0.1')).toBe(true);
    expect(JSON.stringify(list)).not.toContain(me.session.cookie.split('=')[1]);
    const other = list.find((s) => !s.current)!;

    const end = await t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${other.id}`, headers: me.session.headers });
    expect(end.statusCode).toBe(204);
    expect(await mobile.closed).toBe('io server disconnect');
    expect(await still(desk.socket)).toBe(true);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: phone.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/account/sessions', headers: { cookie: me.session.cookie } })).json<AccountSession[]>()).toHaveLength(1);
  });

  it('cannot end someone else\'s session (404), and ending the current one signs out', async () => {
    const me = await officer();
    const someone = await officer();
    const theirs = (await t.app.inject({ url: '/api/account/sessions', headers: { cookie: someone.session.cookie } })).json<AccountSession[]>()[0];
    expect((await t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${theirs.id}`, headers: me.session.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: someone.session.cookie } })).statusCode).toBe(200);

    const mine = (await t.app.inject({ url: '/api/account/sessions', headers: { cookie: me.session.cookie } })).json<AccountSession[]>()[0];
    const end = await t.app.inject({ method: 'DELETE', url: `/api/account/sessions/${mine.id}`, headers: me.session.headers });
    expect(end.statusCode).toBe(204);
    expect(String(end.headers['set-cookie'])).toMatch(/cvc_session=;/);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: me.session.cookie } })).statusCode).toBe(401);
  });

  it('a password change ends the other sessions and keeps this one', async () => {
    const me = await officer();
    const other = await login(t.app, me.username, GOOD_PASSWORD);
    const otherSocket = await live(other);
    const res = await t.app.inject({
      method: 'POST', url: '/api/account/password', headers: me.session.headers, payload: { currentPassword: GOOD_PASSWORD, newPassword: 'Another-Lantern-92' },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(await otherSocket.closed).toBe('io server disconnect');
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: other.cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { cookie: me.session.cookie } })).statusCode).toBe(200);
  });
});
