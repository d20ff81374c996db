// The camera's HTTP side: ONVIF SOAP 1.2 (device, media, PTZ) and the JPEG snapshot, on spec.onvifPort.
// Authentication as on real cameras: WS-Security UsernameToken in the SOAP header, or HTTP Digest/Basic;
// GetSystemDateAndTime stays open because clients need the camera's clock to build the token.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Fault } from '../faults';
import { listen, readBody } from '../listen';
import type { AuthResult, HttpAuth } from '../rtsp/auth';
import * as device from './device';
import * as media from './media';
import * as ptz from './ptz';
import * as recording from './recording';
import { checkUsernameToken, envelope, fault, operationOf } from './soap';
import type { OnvifCamera, OnvifService } from './types';

export const SERVICE_PATHS: Record<OnvifService, string> = {
  device: '/onvif/device_service',
  media: '/onvif/media_service',
  ptz: '/onvif/ptz_service',
  recording: '/onvif/recording_service',
  search: '/onvif/search_service',
  replay: '/onvif/replay_service',
};
// One definition shared with the seed (plan.ts), which stores this address for every demo camera.
export { SNAPSHOT_PATH } from '../../../server/demo/camera-plan';
import { SNAPSHOT_PATH } from '../../../server/demo/camera-plan';
const MAX_BODY = 256 * 1024;

/** The response body; undefined for an unknown token; a fault subcode for the other refusals (PTZ presets). */
type Handler = (cam: OnvifCamera, body: string) => ptz.PtzReply | undefined;

const HANDLERS: Record<string, { service: OnvifService; handler: Handler }> = {
  GetSystemDateAndTime: { service: 'device', handler: () => device.getSystemDateAndTime() },
  GetDeviceInformation: { service: 'device', handler: (c) => device.getDeviceInformation(c) },
  GetServices: { service: 'device', handler: (c) => device.getServices(c) },
  GetCapabilities: { service: 'device', handler: (c) => device.getCapabilities(c) },
  GetScopes: { service: 'device', handler: (c) => device.getScopes(c) },
  GetHostname: { service: 'device', handler: (c) => device.getHostname(c) },
  GetProfiles: { service: 'media', handler: (c) => media.getProfiles(c) },
  GetProfile: { service: 'media', handler: (c, b) => media.getProfile(c, b) },
  GetVideoSources: { service: 'media', handler: (c) => media.getVideoSources(c) },
  GetStreamUri: { service: 'media', handler: (c, b) => media.getStreamUri(c, b) },
  GetSnapshotUri: { service: 'media', handler: (c) => media.getSnapshotUri(c) },
  GetNodes: { service: 'ptz', handler: () => ptz.getNodes() },
  GetConfigurations: { service: 'ptz', handler: () => ptz.getConfigurations() },
  GetPresets: { service: 'ptz', handler: (c) => ptz.getPresets(c.ptz) },
  GetStatus: { service: 'ptz', handler: (c) => ptz.getStatus(c.ptz) },
  ContinuousMove: { service: 'ptz', handler: (c, b) => ptz.continuousMove(c.ptz, b) },
  Stop: { service: 'ptz', handler: (c) => ptz.stop(c.ptz) },
  GotoPreset: { service: 'ptz', handler: (c, b) => ptz.gotoPreset(c.ptz, b) },
  GotoHomePosition: { service: 'ptz', handler: (c) => ptz.gotoHomePosition(c.ptz) },
  SetPreset: { service: 'ptz', handler: (c, b) => ptz.setPreset(c.ptz, b) },
  RemovePreset: { service: 'ptz', handler: (c, b) => ptz.removePreset(c.ptz, b) },
  GetRecordings: { service: 'recording', handler: (c) => recording.getRecordings(c) },
  GetRecordingSummary: { service: 'search', handler: (c) => recording.getRecordingSummary(c) },
  GetRecordingInformation: { service: 'search', handler: (c, b) => recording.getRecordingInformation(c, b) },
  GetReplayUri: { service: 'replay', handler: (c, b) => recording.getReplayUri(c, b) },
};

export interface OnvifServerOptions {
  cam: OnvifCamera;
  host: string;
  port: number;
  auth: HttpAuth;
  fault(): Fault;
  authCounts: Record<AuthResult, number>;
}

export class OnvifServer {
  private server: Server | undefined;

  constructor(private readonly o: OnvifServerOptions) {}

  listen(): Promise<void> {
    if (this.server) return Promise.resolve();
    const server = createServer((req, res) => this.onRequest(req, res));
    server.keepAliveTimeout = 5000;
    this.server = server;
    return listen(server, this.o.host, this.o.port);
  }

  close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    return closed;
  }

  dropClients(): void {
    this.server?.closeAllConnections();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    readBody(req, MAX_BODY, (body) => {
      const f = this.o.fault();
      const reply = () => this.respond(req, res, body, f);
      if (f.kind === 'slow' && f.delayMs > 0) setTimeout(reply, f.delayMs).unref();
      else reply();
    });
  }

  private respond(req: IncomingMessage, res: ServerResponse, body: string, f: Fault): void {
    if (res.destroyed) return;
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === SNAPSHOT_PATH) return this.snapshot(req, res);
    if (req.method !== 'POST' || !path.startsWith('/onvif/')) return end(res, 404, 'text/plain', 'Not Found');

    if (f.kind === 'garbage-soap') {
      // A broken firmware: 200 with the SOAP content type and bytes that are not XML at all.
      return end(res, 200, 'application/soap+xml; charset=utf-8', Buffer.concat([Buffer.from([0, 0xff, 0xfe, 0x1f]), randomBytes(64)]));
    }

    const op = operationOf(body);
    if (!op) return soap(res, 400, fault('Sender', 'ter:WellFormed', 'Malformed SOAP request'));
    const entry = HANDLERS[op.name];
    if (!entry || (entry.service === 'ptz' && !this.o.cam.spec.ptz)) {
      return soap(res, 500, fault('Receiver', 'ter:ActionNotSupported', `${op.name} is not supported`));
    }

    if (op.name !== 'GetSystemDateAndTime') {
      const denied = this.authenticate(req, res, body, f);
      if (denied) return;
    }
    const out = entry.handler(this.o.cam, body);
    if (out === undefined) {
      // Handlers answer undefined for a token they do not know: a preset (PTZ) or a media profile.
      return soap(res, 400, entry.service === 'media'
        ? fault('Sender', 'ter:InvalidArgVal', 'No such profile', 'ter:NoProfile')
        : entry.service === 'ptz'
          ? fault('Sender', 'ter:InvalidArgVal', 'No such preset', 'ter:NoEntity')
          : fault('Sender', 'ter:InvalidArgVal', 'No such recording', 'ter:NoRecording'));
    }
    if (typeof out !== 'string') return soap(res, 400, fault('Sender', 'ter:InvalidArgVal', out.reason, out.fault));
    soap(res, 200, envelope(out));
  }

  /** Returns true when it has already answered (denied). */
  private authenticate(req: IncomingMessage, res: ServerResponse, body: string, f: Fault): boolean {
    const { username, password } = this.o.cam.spec;
    if (!password && f.kind !== 'wrong-password') {
      this.o.authCounts.open++;
      return false; // no password set on the camera: nothing to check, whatever the client sends
    }
    const wsse = checkUsernameToken(body, username, password);
    if (wsse === 'ok' && f.kind !== 'wrong-password') {
      this.o.authCounts.digest++;
      return false;
    }
    if (wsse !== 'missing') {
      this.o.authCounts.rejected++;
      soap(res, 400, fault('Sender', 'ter:NotAuthorized', 'Sender not Authorized'));
      return true;
    }
    const http = this.o.auth.check('POST', req.headers.authorization);
    this.o.authCounts[http]++;
    if (http === 'basic' || http === 'digest' || http === 'open') return false;
    res.setHeader('WWW-Authenticate', this.o.auth.challenges());
    soap(res, 401, fault('Sender', 'ter:NotAuthorized', 'Sender not Authorized'));
    return true;
  }

  private snapshot(req: IncomingMessage, res: ServerResponse): void {
    const result = this.o.auth.check('GET', req.headers.authorization);
    this.o.authCounts[result]++;
    if (result === 'missing' || result === 'rejected') {
      res.setHeader('WWW-Authenticate', this.o.auth.challenges());
      return end(res, 401, 'text/plain', 'Unauthorized');
    }
    const jpeg = this.o.cam.snapshot();
    if (!jpeg) return end(res, 404, 'text/plain', 'No snapshot');
    end(res, 200, 'image/jpeg', jpeg);
  }
}

function soap(res: ServerResponse, status: number, xml: string): void {
  end(res, status, 'application/soap+xml; charset=utf-8', xml);
}

function end(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), Server: 'SimCam-HTTP/1.0' });
  res.end(body);
}
