// The authorisation matrix, generated from the app's own route table: every route × every kind of caller; then
// every socket.io event × the same callers.
// A route added without a rule here fails the first test, so nobody ships a route whose access nobody decided.
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../server/contracts/api';
import type { ClientToServerEvents, DurableEventName, ReplayResult, ServerToClientEvents } from '../../server/contracts/events';
import type { CreatedShareLink, ResidentView } from '../../server/contracts/share';
import { COMPOUND_NAME } from '../../server/demo/county';
import { buildTestApp, DEMO, login, type Login, type TestApp } from '../helpers/app';

/** everyone: no login; staff: any signed-in user; Role[]: only those roles; viewer: staff in scope or a resident token;
 * resident: a resident token of a usable link only (staff sessions do not count); node: other gateway nodes only
 * (the cluster secret), so no person at all. */
type Rule = 'everyone' | 'staff' | Role[] | 'viewer' | 'resident' | 'node';
const MAKERS: Role[] = ['admin', 'county_operator', 'township_officer'];
const COUNTY: Role[] = ['admin', 'county_operator'];

const RULES: Record<string, Rule> = {
  'GET /docs': 'everyone', 'GET /docs/static/index.html': 'everyone', 'GET /docs/static/swagger-initializer.js': 'everyone',
  'GET /docs/json': 'everyone', 'GET /docs/yaml': 'everyone', 'GET /docs/static/*': 'everyone', 'GET /*': 'everyone',
  'GET /api/health': 'everyone', 'POST /api/auth/login': 'everyone', 'POST /api/share/open': 'everyone',
  // The one-time setup is public (nobody can sign in yet), guarded by its token; here users exist, so it answers 410.
  'GET /api/setup': 'everyone', 'POST /api/setup': 'everyone',
  'GET /api/networks': 'staff', 'GET /api/system/jobs': ['admin'], 'GET /api/auth/me': 'staff', 'POST /api/auth/logout': 'staff',
  'GET /api/org/units': 'staff', 'GET /api/org/units/paths': 'staff', 'POST /api/org/units': ['admin'], 'PATCH /api/org/units/:id': ['admin'],
  'POST /api/org/units/:id/move': ['admin'], 'DELETE /api/org/units/:id': ['admin'], 'GET /api/cameras': 'staff', 'GET /api/cameras/:id': 'staff', 'PATCH /api/cameras/:id': 'staff', 'DELETE /api/cameras/:id': MAKERS,
  'GET /api/catalogue/format': 'staff', 'POST /api/catalogue/import': MAKERS, 'GET /api/catalogue/export': 'staff',
  'GET /api/catalogue/credentials': COUNTY, 'PUT /api/catalogue/credentials/:name': COUNTY, 'DELETE /api/catalogue/credentials/:name': COUNTY,
  'POST /api/discovery/rtsp/probe': MAKERS, 'POST /api/discovery/rtsp/cameras': MAKERS, 'POST /api/discovery/jobs': MAKERS,
  'GET /api/discovery/jobs': 'staff', 'GET /api/discovery/jobs/:jobId': 'staff', 'POST /api/discovery/jobs/:jobId/cancel': MAKERS,
  'POST /api/discovery/jobs/:jobId/add': MAKERS,
  'GET /api/health-checks/rates': 'staff', 'POST /api/health-checks/cameras/:id': 'staff',
  'GET /api/live/relays': 'staff', 'GET /api/live/cluster': 'staff',
  // Node to node (issue #22): a relay's playlist and segments for the node serving a viewer from this one's relay.
  'GET /internal/relays/:relayId/index.m3u8': 'node', 'GET /internal/relays/:relayId/:segment': 'node',
  // Low-latency (WHEP): staff in scope; residents stay on HLS.
  'POST /api/live/:cameraId/whep': 'staff', 'DELETE /api/live/whep/:sessionId': 'staff',
  'GET /api/dangers/taxonomy': 'staff', 'POST /api/dangers': 'staff', 'GET /api/dangers': 'staff', 'GET /api/dangers/:id': 'staff',
  'GET /api/dangers/:id/evidence': 'staff', 'POST /api/dangers/:id/dispatch': 'staff', 'POST /api/dangers/:id/recheck': 'staff',
  'GET /api/dispatch/tasks/:id/closure-frame': 'staff',
  'GET /api/dispatch/tasks': 'staff', 'GET /api/dispatch/tasks/:id': 'staff', 'GET /api/dispatch/tasks/:id/photo': 'staff',
  'POST /api/dispatch/tasks/:id/accept': 'staff', 'POST /api/dispatch/tasks/:id/handle': 'staff', 'POST /api/dispatch/tasks/:id/resolve': 'staff',
  'POST /api/dispatch/tasks/:id/close': 'staff', 'POST /api/dispatch/tasks/:id/reject': 'staff', 'POST /api/dispatch/tasks/:id/return': 'staff',
  'POST /api/dispatch/tasks/:id/escalate': 'staff', 'POST /api/dispatch/tasks/:id/redispatch': 'staff',
  'POST /api/dispatch/layouts': 'staff', 'GET /api/dispatch/layouts': 'staff', 'GET /api/dispatch/layouts/:id': 'staff',
  'POST /api/dispatch/layouts/:id/accept': 'staff', 'POST /api/dispatch/layouts/:id/dismiss': 'staff',
  'GET /api/stats': 'staff', 'GET /api/stats/export.csv': 'staff',
  'GET /api/stats/availability': 'staff', 'GET /api/stats/availability.csv': 'staff',
  // 运维工单: anyone may report 画面异常 on a camera they see; the maintaining side acts (close is checked for the
  // centre's roles inside); the admin sets who maintains a network.
  'GET /api/maintenance/tickets': 'staff', 'GET /api/maintenance/tickets/:id': 'staff', 'POST /api/maintenance/tickets': 'staff',
  'POST /api/maintenance/tickets/:id/actions': MAKERS, 'GET /api/maintenance/maintainers': 'staff', 'PUT /api/maintenance/maintainers/:network': ['admin'],
  'GET /api/patrol/plans': MAKERS, 'POST /api/patrol/plans': MAKERS, 'PUT /api/patrol/plans/:id': MAKERS, 'DELETE /api/patrol/plans/:id': MAKERS,
  'GET /api/patrol/runs': MAKERS, 'GET /api/patrol/runs/:id': MAKERS, 'GET /api/patrol/runs/:id/colleagues': MAKERS, 'POST /api/patrol/runs/:id/:action': MAKERS, 'POST /api/patrol/runs/:id/marks': MAKERS,
  'GET /api/patrol/runs/:id/cameras/:cameraId/frame.jpg': MAKERS, 'GET /api/patrol/stats': MAKERS, 'GET /api/patrol/stats/export.csv': MAKERS,
  'GET /api/layouts': 'staff', 'POST /api/layouts': 'staff', 'PUT /api/layouts/:id': 'staff', 'DELETE /api/layouts/:id': 'staff',
  // 移动视频: push devices and their stream keys are the administrator's.
  'GET /api/push-devices': ['admin'], 'POST /api/push-devices': ['admin'], 'POST /api/push-devices/:id/rotate': ['admin'], 'POST /api/push-devices/:id/revoke': ['admin'],
  'POST /api/share-links': MAKERS, 'GET /api/share-links': 'staff', 'POST /api/share-links/:id/revoke': MAKERS,
  'GET /api/audit': ['admin'], 'GET /api/audit/export.csv': ['admin'],
  'GET /api/users': ['admin'], 'POST /api/users': ['admin'], 'GET /api/users/export.csv': ['admin'], 'POST /api/users/import': ['admin'],
  'GET /api/users/:id': ['admin'], 'PATCH /api/users/:id': ['admin'], 'DELETE /api/users/:id': ['admin'], 'POST /api/users/:id/disable': ['admin'],
  'POST /api/users/:id/enable': ['admin'], 'POST /api/users/:id/reset-password': ['admin'], 'POST /api/users/:id/unlock': ['admin'],
  'POST /api/account/password': 'staff', 'GET /api/account/sessions': 'staff', 'DELETE /api/account/sessions/:id': 'staff',
  'GET /live/:cameraId/index.m3u8': 'viewer', 'GET /live/:cameraId/:segment': 'viewer',
  'GET /live/:cameraId/sub/index.m3u8': 'viewer', 'GET /live/:cameraId/sub/:segment': 'viewer',
  'GET /api/cameras/:id/snapshot.jpg': 'staff', 'GET /api/share/cameras/:cameraId/snapshot.jpg': 'resident',
  'POST /api/share/reports': 'resident', 'GET /api/share/reports': 'resident',
  // PTZ: every staff role, inside its area (outside: 404, as if absent); residents never.
  'GET /api/cameras/:id/ptz': 'staff', 'POST /api/cameras/:id/ptz/lock': 'staff', 'DELETE /api/cameras/:id/ptz/lock': 'staff',
  'POST /api/cameras/:id/ptz/move': 'staff', 'POST /api/cameras/:id/ptz/stop': 'staff', 'POST /api/cameras/:id/ptz/home': 'staff',
  'GET /api/cameras/:id/ptz/presets': 'staff', 'POST /api/cameras/:id/ptz/presets': 'staff',
  'POST /api/cameras/:id/ptz/presets/:token/goto': 'staff', 'DELETE /api/cameras/:id/ptz/presets/:token': 'staff',
  'GET /api/cameras/:id/ptz/tour': 'staff', 'PUT /api/cameras/:id/ptz/tour': 'staff', 'DELETE /api/cameras/:id/ptz/tour': 'staff',
  // Playback and recordings (issue #17): staff with the camera in their area; residents get none.
  'GET /playback/:cameraId/index.m3u8': 'staff', 'GET /playback/:cameraId/:file': 'staff',
  // Residents' rewind, where their link allows it (the matrix's links allow 5 minutes; off by default).
  'GET /api/share/cameras/:cameraId/rewind/index.m3u8': 'resident', 'GET /api/share/cameras/:cameraId/rewind/:file': 'resident',
  // Device playback (设备回放): staff in the camera's area, as server playback.
  'GET /api/recordings/:cameraId/device': 'staff', 'GET /playback/:cameraId/device/index.m3u8': 'staff', 'GET /playback/:cameraId/device/:session/:file': 'staff',
  'GET /api/recordings/:cameraId/timeline': 'staff', 'GET /api/recordings/:cameraId/days': 'staff', 'GET /api/recordings/:cameraId/settings': 'staff', 'PUT /api/recordings/:cameraId/settings': MAKERS,
  'GET /api/recordings/:cameraId/locks': 'staff', 'GET /api/recordings/:cameraId/clip.mp4': 'staff', 'POST /api/recordings/:cameraId/locks': MAKERS,
  // Recording plans: events and unit defaults by those who manage cameras (in their area); network defaults county-wide.
  'POST /api/recordings/:cameraId/events': MAKERS, 'GET /api/recordings/defaults': 'staff',
  'PUT /api/recordings/defaults/network/:network': COUNTY, 'DELETE /api/recordings/defaults/network/:network': COUNTY,
  'PUT /api/recordings/defaults/unit/:unitId': MAKERS, 'DELETE /api/recordings/defaults/unit/:unitId': MAKERS,
  // 电子地图 (issue #20): reads for any staff (answers stay in the caller's area); placing a camera is the admin's.
  'GET /api/map/config': 'staff', 'GET /api/map/cameras': 'staff', 'GET /api/map/dangers': 'staff', 'GET /api/map/units': 'staff',
  'GET /api/map/search': 'staff', 'GET /api/map/layers/:key': 'staff', 'GET /api/map/tiles/:z/:x/:y': 'staff', 'PUT /api/map/cameras/:id/place': ['admin'],
};

type StaffName = 'admin' | 'county' | 'dongcheng' | 'chengguan' | 'village';
type Persona = StaffName | 'resident' | 'expiredLink' | 'revokedLink' | 'anonymous';
const STAFF_ROLE: Record<StaffName, Role> = {
  admin: 'admin', county: 'county_operator', dongcheng: 'township_officer', chengguan: 'township_officer', village: 'village_officer',
};
/** Staff whose area holds 东城小区 (the shared camera's compound). */
const HOLDS_COMPOUND = new Set<Persona>(['admin', 'county', 'dongcheng', 'village']);

function expected(rule: Rule, persona: Persona): 'allow' | 'deny' {
  const staff = persona in STAFF_ROLE ? STAFF_ROLE[persona as StaffName] : undefined;
  if (rule === 'everyone') return 'allow';
  if (rule === 'node') return 'deny';
  if (rule === 'viewer') return persona === 'resident' || HOLDS_COMPOUND.has(persona) ? 'allow' : 'deny';
  if (rule === 'resident') return persona === 'resident' ? 'allow' : 'deny';
  if (!staff) return 'deny';
  return rule === 'staff' || rule.includes(staff) ? 'allow' : 'deny';
}

describe('authorisation matrix over every route', () => {
  let t: TestApp;
  const sessions = {} as Record<StaffName, Login>;
  const tokens = {} as Record<'resident' | 'expiredLink' | 'revokedLink', string>;
  let cameraId: number;

  beforeAll(async () => {
    // Staff sign in twice (the route matrix posts to the login route as every caller and signs everyone out at its
    // end): more logins a minute than the default throttle allows.
    t = await buildTestApp({ login: { maxAttemptsPerMinute: 100 } });
    for (const name of Object.keys(STAFF_ROLE) as StaffName[]) {
      const [username, password] = DEMO[name];
      sessions[name] = await login(t.app, username, password);
    }
    const compound = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === COMPOUND_NAME)!;
    const openLink = async () => {
      const made = await t.app.inject({
        method: 'POST', url: '/api/share-links', headers: sessions.dongcheng.headers, payload: { orgUnitId: compound.id, label: 'matrix', expiresInHours: 1, rewindMinutes: 5 },
      });
      const created = made.json<CreatedShareLink>();
      const view = (await t.app.inject({ method: 'POST', url: '/api/share/open', payload: { token: created.url.split('/r/')[1], device: 'matrix-device' } })).json<ResidentView>();
      return { id: created.link.id, view };
    };
    const resident = await openLink();
    const expired = await openLink();
    const revoked = await openLink();
    await t.app.db.run('UPDATE share_links SET expires_at = ? WHERE id = ?', [new Date(Date.now() - 1000).toISOString(), expired.id]);
    await t.app.inject({ method: 'POST', url: `/api/share-links/${revoked.id}/revoke`, headers: sessions.dongcheng.headers });
    tokens.resident = resident.view.viewerToken;
    tokens.expiredLink = expired.view.viewerToken;
    tokens.revokedLink = revoked.view.viewerToken;
    cameraId = resident.view.cameras[0].id;
  });
  afterAll(() => t.close());

  it('has a rule for every route, and no rule for a route that is gone', () => {
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !(r in RULES))).toEqual([]);
    expect(Object.keys(RULES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('lets in exactly who the rules say, on every route, and never fails with a 500', async () => {
    const personas: Persona[] = ['admin', 'county', 'dongcheng', 'chengguan', 'village', 'resident', 'expiredLink', 'revokedLink', 'anonymous'];
    const mismatches: string[] = [];
    // Logging out would end the session the other routes use: it goes last.
    const table = [...t.app.routeTable].sort((a, b) => Number(a.url === '/api/auth/logout') - Number(b.url === '/api/auth/logout'));
    for (const route of table) {
      const rule = RULES[`${route.method} ${route.url}`];
      for (const persona of personas) {
        const url = route.url
          .replace(':cameraId', String(cameraId)).replace(':segment', 's0-0.ts').replace(':file', 'f1.ts').replace(':jobId', 'job-x').replace(':name', 'x')
          .replace(':id', '999999').replace('*', 'index.html'); // ids that exist nowhere: no call changes anything
        const token = persona in tokens ? tokens[persona as keyof typeof tokens] : undefined;
        const res = await t.app.inject({
          method: route.method as 'GET',
          url: token ? `${url}${url.includes('?') ? '&' : '?'}v=${encodeURIComponent(token)}` : url,
          headers: persona in sessions ? sessions[persona as StaffName].headers : {},
          payload: route.method === 'GET' || route.method === 'DELETE' ? undefined : {},
        });
        // 502/503 on /live are answers about the camera or the relay cap (no camera runs here), not failures; so are
        // 502/504 of a resident snapshot (the camera's snapshot address does not answer here).
        const designed = (rule === 'viewer' || rule === 'resident') && [502, 503, 504].includes(res.statusCode);
        expect(res.statusCode < 500 || designed, `${route.method} ${url} as ${persona}: ${res.statusCode}`).toBe(true);
        // Outside a user's area things answer 404, as if absent: that is a refusal too, for /live.
        const refused = res.statusCode === 401 || res.statusCode === 403 || (rule === 'viewer' && res.statusCode === 404 && persona !== 'resident' && !HOLDS_COMPOUND.has(persona));
        const want = expected(rule, persona);
        if ((want === 'deny') !== refused) mismatches.push(`${route.method} ${url} as ${persona}: ${res.statusCode}, expected ${want}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
  // socket.io: who may connect, which durable events each caller hears, and what each may replay. Every durable event
  // is in EVENTS (the type check fails for one that is not), published about 团结社区 (a village of 东城街道): it
  // must reach the staff whose area holds it — the county (admin, operator), 东城街道 and 团结社区 — and nobody else.
  describe('socket.io events', () => {
    const EVENTS = [
      'camera:status', 'catalogue:imported', 'discovery:progress', 'discovery:result', 'danger:created', 'danger:recheck', 'task:received',
      'task:status', 'task:overdue', 'layout:pushed', 'org:changed', 'ticket:changed', 'patrol:due', 'patrol:status', 'patrol:overdue',
      'ptz:lock',
    ] as const satisfies readonly DurableEventName[];
    type Unlisted = Exclude<DurableEventName, (typeof EVENTS)[number]>;
    const everyEventListed: [Unlisted] extends [never] ? true : Unlisted = true;
    const HEARS_VILLAGE = new Set<Persona>(['admin', 'county', 'dongcheng', 'village']);
    type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
    const sockets: ClientSocket[] = [];
    let base: string;

    beforeAll(async () => {
      // The route matrix ended with every staff member logging out: sign in again.
      for (const name of Object.keys(STAFF_ROLE) as StaffName[]) {
        const [username, password] = DEMO[name];
        sessions[name] = await login(t.app, username, password);
      }
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;
    });
    afterAll(() => sockets.forEach((s) => s.close()));

    /** Connects as a persona: staff with their session cookie; residents and links with their viewer token, the
     * only credential they hold (as query, auth and header); anonymous with nothing. */
    function open(persona: Persona): Promise<ClientSocket | Error> {
      const token = persona in tokens ? tokens[persona as keyof typeof tokens] : undefined;
      const socket: ClientSocket = connect(base, {
        transports: ['websocket'], reconnection: false, forceNew: true,
        extraHeaders: persona in sessions ? { cookie: sessions[persona as StaffName].cookie } : token ? { authorization: `Bearer ${token}` } : {},
        ...(token ? { query: { v: token }, auth: { token } } : {}),
      });
      sockets.push(socket);
      return new Promise((resolve) => {
        socket.once('session:ready', () => resolve(socket));
        socket.once('connect_error', (err) => resolve(err));
      });
    }

    it('lets staff connect and refuses residents, expired and revoked links, and anonymous callers', async () => {
      expect(everyEventListed).toBe(true);
      const personas: Persona[] = ['admin', 'county', 'dongcheng', 'chengguan', 'village', 'resident', 'expiredLink', 'revokedLink', 'anonymous'];
      const outcome = Object.fromEntries(await Promise.all(personas.map(async (p) => [p, (await open(p)) instanceof Error ? 'deny' : 'allow'] as const)));
      expect(outcome).toEqual(Object.fromEntries(personas.map((p) => [p, p in STAFF_ROLE ? 'allow' : 'deny'])));
    });

    it('delivers every durable event to the callers whose area holds it, and replays it to them only', async () => {
      const staff = Object.keys(STAFF_ROLE) as StaffName[];
      const connected = await Promise.all(staff.map((p) => open(p)));
      const heard = new Map<StaffName, string[]>(staff.map((p) => [p, []]));
      connected.forEach((socket, i) => {
        if (socket instanceof Error) throw socket;
        for (const name of EVENTS) socket.on(name as 'camera:status', () => heard.get(staff[i]!)!.push(name));
      });
      const village = (await t.app.repos.orgUnits.subtree('/')).find((u) => u.name === '团结社区')!;
      const before = await t.app.repos.events.lastSeq();
      for (const name of EVENTS) await t.app.realtime.publish(village.path, name, { matrix: name } as never);
      const expectedHeard = (p: StaffName) => (HEARS_VILLAGE.has(p) ? [...EVENTS] : []);
      await expect.poll(() => staff.map((p) => heard.get(p)!.length), { timeout: 10_000 }).toEqual(staff.map((p) => expectedHeard(p).length));
      for (const p of staff) expect(heard.get(p)!.sort(), p).toEqual(expectedHeard(p).sort());
      // What a reconnecting client may ask for again is bounded by the same area.
      for (const [i, p] of staff.entries()) {
        const socket = connected[i] as ClientSocket;
        const replay = await new Promise<ReplayResult>((resolve) => socket.emit('events:since', before, resolve));
        expect(replay.events.map((e) => e.event).sort(), p).toEqual(expectedHeard(p).sort());
      }
    });
  });
});
