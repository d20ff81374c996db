// WS-Discovery (2005/04, as ONVIF uses it) target service: answers Probe with a ProbeMatch, unicast to the
// sender. It listens on UDP 3702 of the camera's own loopback address; it joins the 239.255.255.250 group only
// when asked (tests do that inside a network namespace they create). It never sends Hello/Bye: those are
// multicast, and nothing here may multicast out of the machine.
import { createHash, randomUUID } from 'node:crypto';
import { type Socket, createSocket } from 'node:dgram';
import { elementText, escapeXml } from './onvif/soap';

export const WSD_PORT = 3702;
export const WSD_GROUP = '239.255.255.250';
const MAX_DATAGRAM = 64 * 1024;

export interface DiscoveryTarget {
  id: string;
  host: string;
  xaddr: string;
  scopes: string[];
}

/** A stable urn:uuid per camera, derived from its id (name-based, like a UUIDv5). */
export function endpointUuid(id: string): string {
  const h = createHash('sha1').update(`simcam:${id}`).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const DEVICE_TYPES = 'dn:NetworkVideoTransmitter tds:Device';

/** Does a Probe's Types/Scopes select this device? Types by local name; scopes by RFC 3986 prefix match. */
export function probeMatches(probe: string, scopes: string[]): boolean {
  const types = (elementText(probe, 'Types') ?? '').split(/\s+/).filter(Boolean);
  const wanted = types.map((t) => t.slice(t.indexOf(':') + 1));
  if (wanted.length && !wanted.some((t) => t === 'NetworkVideoTransmitter' || t === 'Device')) return false;
  const asked = (elementText(probe, 'Scopes') ?? '').split(/\s+/).filter(Boolean);
  return asked.every((a) => scopes.some((s) => s === a || s.startsWith(a.endsWith('/') ? a : a + '/')));
}

export function probeMatch(t: DiscoveryTarget, relatesTo: string, messageNumber: number): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope"' +
    ' xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"' +
    ' xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">' +
    '<SOAP-ENV:Header>' +
    `<wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>` +
    `<wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo>` +
    '<wsa:To SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>' +
    '<wsa:Action SOAP-ENV:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>' +
    `<d:AppSequence InstanceId="1" MessageNumber="${messageNumber}"/>` +
    '</SOAP-ENV:Header><SOAP-ENV:Body><d:ProbeMatches><d:ProbeMatch>' +
    `<wsa:EndpointReference><wsa:Address>${endpointUuid(t.id)}</wsa:Address></wsa:EndpointReference>` +
    `<d:Types>${DEVICE_TYPES}</d:Types>` +
    `<d:Scopes>${t.scopes.map(escapeXml).join(' ')}</d:Scopes>` +
    `<d:XAddrs>${escapeXml(t.xaddr)}</d:XAddrs>` +
    '<d:MetadataVersion>1</d:MetadataVersion>' +
    '</d:ProbeMatch></d:ProbeMatches></SOAP-ENV:Body></SOAP-ENV:Envelope>';
}

export class WsDiscoveryResponder {
  private unicast: Socket | undefined;
  private multicast: Socket | undefined;
  private messageNumber = 0;
  probes = 0;

  constructor(private readonly target: DiscoveryTarget, private readonly joinMulticast: boolean) {}

  async start(): Promise<void> {
    if (this.unicast) return;
    this.unicast = await bind(this.target.host, (msg, rinfo) => this.onMessage(msg, rinfo));
    if (this.joinMulticast) {
      // Receiving group traffic needs a wildcard bind; several cameras share the port with SO_REUSEADDR and
      // each joins on its own interface address. Replies still go out unicast from the camera's address.
      const m = await bind('0.0.0.0', (msg, rinfo) => this.onMessage(msg, rinfo));
      m.setMulticastLoopback(true);
      m.setMulticastTTL(1);
      m.addMembership(WSD_GROUP, this.target.host);
      this.multicast = m;
    }
  }

  async stop(): Promise<void> {
    const socks = [this.unicast, this.multicast].filter((s): s is Socket => !!s);
    this.unicast = this.multicast = undefined;
    await Promise.all(socks.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  private onMessage(msg: Buffer, rinfo: { address: string; port: number }): void {
    if (msg.length > MAX_DATAGRAM) return;
    const xml = msg.toString('utf8');
    if (!/<(?:[\w.-]+:)?Probe\b/.test(xml)) return; // Resolve, Hello, Bye and our own matches are ignored
    if (!probeMatches(xml, this.target.scopes)) return;
    this.probes++;
    const relatesTo = elementText(xml, 'MessageID') ?? '';
    const reply = Buffer.from(probeMatch(this.target, relatesTo, ++this.messageNumber), 'utf8');
    this.unicast?.send(reply, rinfo.port, rinfo.address);
  }
}

function bind(address: string, onMessage: (msg: Buffer, rinfo: { address: string; port: number }) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    s.once('error', reject);
    s.on('message', onMessage);
    s.bind(WSD_PORT, address, () => {
      s.off('error', reject);
      s.on('error', () => undefined);
      resolve(s);
    });
  });
}
