// config/nginx.cluster.conf.example as it ships, in front of two gateway nodes on one PostgreSQL database: a temp
// copy with only its addresses swapped for loopback (and its TLS lines left out) passes `nginx -t`, then runs —
// nginx started by this test with its own prefix, pid file and temp directories, not daemonized, killed by its PID
// at the end. Through it: sign-in (with the browser's address seen through trustProxy), socket.io over WebSocket and
// over long-polling (sticky: every poll of one session reaches the same node), and, once the node serving this
// client stops, the other node answers through the same address. Skips without nginx or PostgreSQL (initdb).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '../../server/contracts/events';
import { buildTestApp, DEMO, type TestApp } from '../helpers/app';
import { createTestDatabase, postgresUnavailable } from '../helpers/postgres';
import { freePort } from '../../scripts/lib/free-port';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => existsSync(p));
const EXAMPLE = resolve(import.meta.dirname, '../../config/nginx.cluster.conf.example');


/** The example with loopback addresses: what an operator edits by hand (addresses, certificate), nothing else. */
function loopbackCopy(dir: string, ports: { https: number; http: number; nodes: [number, number] }): string {
  let site = readFileSync(EXAMPLE, 'utf8');
  const swap = (from: string, to: string) => {
    if (!site.includes(from)) throw new Error(`the example no longer has "${from}": update this test`);
    site = site.replace(from, to);
  };
  swap('listen 443 ssl;', `listen 127.0.0.1:${ports.https};`);
  swap('listen 80;', `listen 127.0.0.1:${ports.http};`);
  swap('server 10.20.0.11:8080', `server 127.0.0.1:${ports.nodes[0]}`);
  swap('server 10.20.0.12:8080', `server 127.0.0.1:${ports.nodes[1]}`);
  site = site.split('\n').filter((l) => !/^\s*ssl_certificate/.test(l)).join('\n');
  writeFileSync(join(dir, 'site.conf'), site);
  for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, t), { recursive: true });
    chmodSync(join(dir, t), 0o777); // the workers run as nobody when the master is root
  }
  const main = join(dir, 'nginx.conf');
  writeFileSync(main, `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  return main;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const accepts = (port: number) => new Promise<true | undefined>((res) => {
  const s = tcpConnect(port, '127.0.0.1');
  s.once('connect', () => (s.destroy(), res(true)));
  s.once('error', () => res(undefined));
});

describe.skipIf(!NGINX)('config/nginx.cluster.conf.example', () => {
  it('passes nginx -t with only its addresses swapped for loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cvc-nginx-t-'));
    try {
      const main = loopbackCopy(dir, { https: await freePort(), http: await freePort(), nodes: [await freePort(), await freePort()] });
      const check = spawnSync(NGINX!, ['-t', '-p', dir, '-c', main], { encoding: 'utf8' });
      expect(check.status, check.stderr).toBe(0);
      expect(check.stderr).toContain('syntax is ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const skip = !NGINX ? 'nginx is not installed' : postgresUnavailable();

describe.skipIf(!!skip)('two gateway nodes behind nginx', { timeout: 120_000 }, () => {
  let dir: string;
  let nginx: ChildProcess | undefined;
  let a: TestApp;
  let b: TestApp;
  let base: string;
  const sockets: Socket[] = [];
  let closedA = false;

  beforeAll(async () => {
    const database = await createTestDatabase('nginx');
    // trustProxy: nginx's address, as in config/cluster.example.json. B shares A's data directory (the keys).
    a = await buildTestApp({ database, trustProxy: '127.0.0.1', dispatch: { overdueScanSec: 0 } });
    b = await buildTestApp({ database, trustProxy: '127.0.0.1', dataDir: a.dataDir, dispatch: { overdueScanSec: 0 } });
    await a.app.listen({ host: '127.0.0.1', port: 0 });
    await b.app.listen({ host: '127.0.0.1', port: 0 });
    const portOf = (t: TestApp) => (t.app.server.address() as { port: number }).port;
    dir = mkdtempSync(join(tmpdir(), 'cvc-nginx-'));
    const https = await freePort();
    const main = loopbackCopy(dir, { https, http: await freePort(), nodes: [portOf(a), portOf(b)] });
    nginx = spawn(NGINX!, ['-p', dir, '-c', main], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    nginx.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    nginx.once('exit', (code) => {
      if (code) console.error(`nginx exited ${code}: ${stderr}`);
    });
    await until('nginx to listen', () => accepts(https));
    base = `http://127.0.0.1:${https}`;
  }, 120_000);

  afterAll(async () => {
    for (const s of sockets) s.close();
    if (nginx?.pid && nginx.exitCode === null) {
      const exited = new Promise((r) => nginx!.once('exit', r));
      process.kill(nginx.pid, 'SIGTERM'); // nginx's fast shutdown: master and workers
      await exited;
    }
    // B first: it shares A's data directory, which A's close removes (B has its keys in memory by then).
    await b?.close();
    if (!closedA) await a?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function signIn(username: string, password: string, forwardedFor?: string) {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status, await res.clone().text()).toBe(200);
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrfToken: ((await res.json()) as { csrfToken: string }).csrfToken };
  }

  function open(cookie: string, transport: 'websocket' | 'polling'): Promise<{ socket: Socket<ServerToClientEvents, ClientToServerEvents>; lastSeq: number }> {
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = connect(base, { transports: [transport], upgrade: false, extraHeaders: { cookie }, reconnection: false, forceNew: true });
    sockets.push(socket);
    return new Promise((res, rej) => {
      socket.once('session:ready', ({ lastSeq }) => res({ socket, lastSeq }));
      socket.once('connect_error', rej);
    });
  }

  it('signs in through nginx, with the browser\'s address seen through trustProxy', async () => {
    await signIn(...DEMO.county, '10.9.8.7');
    const [row] = await a.app.repos.audit.recent(5, 'auth.login');
    expect(row).toMatchObject({ actorName: expect.any(String), ip: '10.9.8.7' });
  });

  it('opens socket.io through nginx over WebSocket and over long-polling', async () => {
    const { cookie } = await signIn(...DEMO.dongcheng);
    const ws = await open(cookie, 'websocket');
    expect(ws.socket.io.engine.transport.name).toBe('websocket');
    const polling = await open(cookie, 'polling');
    expect(polling.socket.io.engine.transport.name).toBe('polling');
    // Several round trips on long-polling: each poll is a separate HTTP request, and all must reach the node that
    // holds this engine.io session (ip_hash), or the node answers "Session ID unknown" and the socket drops.
    for (let i = 0; i < 3; i++) {
      const answer = await new Promise<unknown>((res) => polling.socket.emit('events:since', polling.lastSeq, res));
      expect(answer).toMatchObject({ events: expect.any(Array) });
    }
    expect(polling.socket.connected).toBe(true);
  });

  it('goes on through the other node when one stops', async () => {
    const { cookie } = await signIn(...DEMO.county);
    expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    // Whichever node ip_hash gave 127.0.0.1, with A gone every request is B's: nginx finds A refusing and moves on
    // (proxy_next_upstream error), and the session, kept in the shared database, holds on B.
    await a.close();
    closedA = true;
    for (let i = 0; i < 4; i++) expect((await fetch(`${base}/api/auth/me`, { headers: { cookie } })).status).toBe(200);
    await signIn(...DEMO.village);
  });
});
