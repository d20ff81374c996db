// The fleet's control endpoint on 127.0.0.1:<controlPort>: list cameras, switch faults at runtime.
//   GET  /cameras                 → [{ id, name, host, rtspUrl, onvifXAddr, fixture, fault, stats }]
//   GET  /cameras/:id             → one of those
//   POST /cameras/:id/fault       ← a JSON Fault, e.g. {"kind":"stall"} or {"kind":"flapping","periodSec":10}
//   GET  /pushers                 → [{ id, rtmpUrl (key masked), fixture, pid }]   pushing devices (RTMP publishers)
//   POST /pushers                 ← { "id": "...", "rtmpUrl": "rtmp://127.0.0.1:1935/live/<key>", "fixture"?: "h264-aac" }
//   DELETE /pushers/:id           stops one
import { type Server, createServer } from 'node:http';
import type { SimCamera } from './camera';
import { parseFault } from './faults';
import { listen, readBody } from './listen';
import { startPusher, type Pusher } from './pusher';

export interface ControlTarget {
  cameras: SimCamera[];
  get(id: string): SimCamera | undefined;
  pushers?: Map<string, Pusher>;
}

/** The stream key is a secret: lists show its first characters only. */
function describePusher(id: string, p: Pusher) {
  return { id, rtmpUrl: p.rtmpUrl.replace(/\/([^/]{4})[^/]*$/, '/$1…'), fixture: p.fixture, pid: p.pid };
}

const MAX_BODY = 16 * 1024;

function describe(c: SimCamera) {
  return {
    id: c.spec.id, name: c.spec.name, host: c.spec.host, rtspUrl: c.rtspUrl, subStreamUrl: c.subStreamUrl,
    onvifXAddr: c.onvifXAddr, fixture: c.spec.fixture, subFixture: c.spec.subFixture, fault: c.fault, stats: c.stats(),
  };
}

export function startControl(fleet: ControlTarget, port: number, host = '127.0.0.1'): Promise<Server> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
    };
    const url = new URL(req.url ?? '/', 'http://control');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'GET' && parts.length === 1 && parts[0] === 'cameras') return send(200, fleet.cameras.map(describe));
    if (parts[0] === 'pushers' && fleet.pushers) {
      const pushers = fleet.pushers;
      if (req.method === 'GET' && parts.length === 1) return send(200, [...pushers].map(([id, p]) => describePusher(id, p)));
      if (req.method === 'POST' && parts.length === 1) {
        readBody(req, MAX_BODY, (body) => {
          try {
            const o = JSON.parse(body) as { id?: unknown; rtmpUrl?: unknown; fixture?: unknown };
            if (typeof o.id !== 'string' || typeof o.rtmpUrl !== 'string') throw new Error('id and rtmpUrl are required');
            if (pushers.has(o.id)) throw new Error(`pusher ${o.id} exists`);
            const p = startPusher({ rtmpUrl: o.rtmpUrl, fixture: typeof o.fixture === 'string' ? o.fixture : undefined });
            pushers.set(o.id, p);
            void p.exited.then(() => { if (pushers.get(o.id as string) === p) pushers.delete(o.id as string); });
            send(201, describePusher(o.id, p));
          } catch (err) {
            send(400, { error: (err as Error).message });
          }
        });
        return;
      }
      const p = parts[1] ? pushers.get(parts[1]) : undefined;
      if (req.method === 'DELETE' && parts.length === 2 && p) {
        pushers.delete(parts[1]!);
        void p.stop().then(() => send(200, { id: parts[1], stopped: true }));
        return;
      }
      return send(404, { error: 'not found' });
    }
    if (parts[0] !== 'cameras' || !parts[1]) return send(404, { error: 'not found' });
    const cam = fleet.get(parts[1]);
    if (!cam) return send(404, { error: `no camera ${parts[1]}` });
    if (req.method === 'GET' && parts.length === 2) return send(200, describe(cam));
    if (req.method === 'POST' && parts.length === 3 && parts[2] === 'fault') {
      readBody(req, MAX_BODY, (body) => {
        try {
          cam.setFault(parseFault(JSON.parse(body)));
          send(200, { id: cam.spec.id, fault: cam.fault });
        } catch (err) {
          send(400, { error: (err as Error).message });
        }
      });
      return;
    }
    send(405, { error: 'method not allowed' });
  });
  return listen(server, host, port).then(() => server);
}
