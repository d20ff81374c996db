// WS-Discovery: a unicast Probe (exactly what the onvif client multicasts) to the camera's own address.
import { createSocket } from 'node:dgram';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimCamera, planCamera, startCamera } from '../../scripts/simulator/index';
import { endpointUuid } from '../../scripts/simulator/ws-discovery';

// A real XML parser, the one the onvif client parses ProbeMatches with (resolved from onvif's own install).
const requireFromOnvif = createRequire(createRequire(import.meta.url).resolve('onvif'));
const xml2js = requireFromOnvif('xml2js') as { parseStringPromise(xml: string, opts?: object): Promise<any> };
const stripPrefix = (requireFromOnvif('xml2js') as { processors: { stripPrefix: (s: string) => string } }).processors.stripPrefix;

function probeXml(messageId: string, types?: string, scopes = ''): string {
  return '<Envelope xmlns="http://www.w3.org/2003/05/soap-envelope" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<Header>' +
    `<wsa:MessageID xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">${messageId}</wsa:MessageID>` +
    '<wsa:To xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">urn:schemas-xmlsoap-org:ws:2005:04:discovery</wsa:To>' +
    '<wsa:Action xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</wsa:Action>' +
    '</Header><Body><Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery">' +
    (types === undefined ? '' : `<Types>${types}</Types>`) +
    `<Scopes>${scopes}</Scopes></Probe></Body></Envelope>`;
}

/** Sends one datagram from 127.0.0.1 and collects answers for a bounded while. */
async function probe(host: string, xml: string, waitMs = 1500): Promise<Array<{ from: string; xml: string }>> {
  const sock = createSocket('udp4');
  const answers: Array<{ from: string; xml: string }> = [];
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
  sock.on('message', (m, rinfo) => answers.push({ from: rinfo.address, xml: m.toString('utf8') }));
  sock.send(Buffer.from(xml), 3702, host);
  const end = Date.now() + waitMs;
  while (Date.now() < end && answers.length === 0) await new Promise((r) => setTimeout(r, 25));
  sock.close();
  return answers;
}

// This file's own range: 1400–1449.
let cam: SimCamera;
beforeAll(async () => {
  cam = await startCamera(planCamera({ index: 1401, name: '西湖镇桥头', network: 'skynet', orgUnitCode: '339901003', ptz: true }));
});
afterAll(async () => {
  await cam?.close();
});

describe('WS-Discovery responder', () => {
  it('answers a NetworkVideoTransmitter probe with a well-formed ProbeMatch, unicast, RelatesTo the probe', async () => {
    const id = `urn:uuid:${randomUUID()}`;
    const answers = await probe(cam.spec.host, probeXml(id, 'dn:NetworkVideoTransmitter'));
    expect(answers).toHaveLength(1);
    expect(answers[0].from).toBe(cam.spec.host);
    const doc = await xml2js.parseStringPromise(answers[0].xml, { tagNameProcessors: [stripPrefix] });
    const header = doc.Envelope.Header[0];
    expect(header.RelatesTo[0]).toBe(id);
    expect(header.Action[0]._ ?? header.Action[0]).toBe('http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches');
    const match = doc.Envelope.Body[0].ProbeMatches[0].ProbeMatch[0];
    expect(match.EndpointReference[0].Address[0]).toBe(endpointUuid(cam.spec.id));
    expect(match.EndpointReference[0].Address[0]).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(match.Types[0].split(' ')).toContain('dn:NetworkVideoTransmitter');
    expect(match.XAddrs[0]).toBe(cam.onvifXAddr);
    const scopes: string[] = match.Scopes[0].split(' ');
    expect(scopes).toContain(`onvif://www.onvif.org/name/${encodeURIComponent(cam.spec.name)}`);
    expect(scopes).toContain(`onvif://www.onvif.org/location/${cam.spec.orgUnitCode}`);
    expect(scopes.some((s) => s.startsWith('onvif://www.onvif.org/hardware/'))).toBe(true);
    expect(cam.stats().discoveryProbes).toBeGreaterThan(0);
  });

  it('answers a probe without Types, and one whose scope prefix matches', async () => {
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`))).toHaveLength(1);
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`, 'dn:NetworkVideoTransmitter', 'onvif://www.onvif.org/location'))).toHaveLength(1);
  });

  it('ignores probes for other device types or scopes', async () => {
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`, 'p:Printer'), 500)).toHaveLength(0);
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`, '', 'onvif://www.onvif.org/location/elsewhere'), 500)).toHaveLength(0);
  });

  it('stays silent while the camera is offline', async () => {
    cam.setFault({ kind: 'offline' });
    await cam.settled();
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`), 500)).toHaveLength(0);
    cam.setFault({ kind: 'none' });
    await cam.settled();
    expect(await probe(cam.spec.host, probeXml(`urn:uuid:${randomUUID()}`))).toHaveLength(1);
  });
});
