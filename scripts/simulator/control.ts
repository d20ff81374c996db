// The fleet's control endpoint on 127.0.0.1:<controlPort>: list cameras, switch faults at runtime.
//   GET  /cameras                 → [{ id, name, host, rtspUrl, onvifXAddr, fixture, fault, stats }]
//   GET  /cameras/:id             → one of those
//   POST /cameras/:id/fault       ← a JSON Fault, e.g. {"kind":"stall"} or {"kind":"flapping","periodSec":10}
import { type Server, createServer } from 'node:http';
import type { SimCamera } from './camera';
import { parseFault } from './faults';
import { listen, readBody } from './listen';

export interface ControlTarget {
  cameras: SimCamera[];
  get(id: string): SimCamera | undefined;
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
