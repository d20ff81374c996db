// A cheap loopback stand-in for a county's cameras, for bench:health: `rtspListeners` RTSP listeners on
// 127.91.0.1…, port 10554, and `onvifListeners` HTTP listeners on 127.92.0.1…, port 10080 — loopback only, never
// a real interface. Camera N is addressed by its path (rtsp://127.91.0.k:10554/cam/N, http://127.92.0.k:10080/
// onvif/device_service/N): the same TCP connect and one request per check as 100,000 separate devices, with 100
// listeners instead of 100,000 (a socket each would exhaust descriptors for nothing). A camera whose number is a
// multiple of `silentEvery` is dark: it accepts, reads the request and never answers. Run as its own process so
// its work is not counted in the checker's event loop. Prints "ready" on stdout when listening.
//   tsx scripts/bench/health/responder.ts <rtspListeners> <onvifListeners> <silentEvery>
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';

const [rtspListeners, onvifListeners, silentEvery] = process.argv.slice(2).map(Number);
const silent = (n: number) => silentEvery > 0 && n % silentEvery === 0;
let answered = 0;
let ignored = 0;

function rtspConnection(socket: Socket): void {
  let buffer = '';
  socket.setEncoding('latin1');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\r\n\r\n'); end >= 0; end = buffer.indexOf('\r\n\r\n')) {
      const head = buffer.slice(0, end);
      buffer = buffer.slice(end + 4);
      const n = Number(/\/cam\/(\d+)/.exec(head)?.[1] ?? -1);
      if (silent(n)) {
        ignored++;
        continue;
      }
      answered++;
      const cseq = /^CSeq:\s*(\d+)/im.exec(head)?.[1] ?? '0';
      socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`);
    }
  });
}

const CLOCK = '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>' +
  '<tds:GetSystemDateAndTimeResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl"><tds:SystemDateAndTime/>' +
  '</tds:GetSystemDateAndTimeResponse></s:Body></s:Envelope>';

const listening: Array<Promise<void>> = [];
for (let i = 0; i < rtspListeners; i++) {
  const server = createServer(rtspConnection);
  listening.push(new Promise((resolve, reject) => server.once('error', reject).listen({ host: `127.91.0.${i + 1}`, port: 10554, backlog: 4096 }, resolve)));
}
for (let i = 0; i < onvifListeners; i++) {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (silent(Number(/\/(\d+)$/.exec(req.url ?? '')?.[1] ?? -1))) {
        ignored++;
        return; // never answers; the checker's timeout closes the connection
      }
      answered++;
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' }).end(CLOCK);
    });
  });
  server.keepAliveTimeout = 1000;
  listening.push(new Promise((resolve, reject) => server.once('error', reject).listen({ host: `127.92.0.${i + 1}`, port: 10080, backlog: 4096 }, resolve)));
}
await Promise.all(listening);
process.stdout.write('ready\n');
// The parent asks for counts on stdin ("counts\n") and gets one JSON line back.
process.stdin.setEncoding('utf8').on('data', () => process.stdout.write(`${JSON.stringify({ answered, ignored })}\n`));
process.stdin.on('end', () => process.exit(0));
