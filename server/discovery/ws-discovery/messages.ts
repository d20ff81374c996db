// WS-Discovery 2005/04 messages as ONVIF devices expect them: a Probe for NetworkVideoTransmitter, and the
// fields of a ProbeMatch. Plain string work: the messages are tiny and fixed in shape.
import { randomUUID } from 'node:crypto';

export interface ProbeMatch {
  /** EndpointReference/Address, usually urn:uuid:…; stable per device. */
  endpointRef: string;
  xaddrs: string[];
  types: string[];
  scopes: string[];
  relatesTo: string | null;
}

export function probeMessage(messageId = `urn:uuid:${randomUUID()}`): { messageId: string; xml: string } {
  const xml = '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"' +
    ' xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<s:Header>' +
    `<a:MessageID>${messageId}</a:MessageID>` +
    '<a:To s:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '<a:Action s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    '</s:Header><s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';
  return { messageId, xml };
}

function text(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`, 's').exec(xml);
  return m ? m[1].trim() : undefined;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const list = (s: string | undefined) => (s ? unescape(s).split(/\s+/).filter(Boolean) : []);

/** The ProbeMatch in a datagram, or null when it is something else (or garbage). */
export function parseProbeMatch(xml: string): ProbeMatch | null {
  if (!/<(?:[\w.-]+:)?ProbeMatch\b/.test(xml)) return null;
  const ref = /<(?:[\w.-]+:)?EndpointReference\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?EndpointReference>/.exec(xml);
  const endpointRef = ref ? text(ref[1], 'Address') : undefined;
  const xaddrs = list(text(xml, 'XAddrs')).filter((x) => /^https?:\/\//.test(x));
  if (!endpointRef && xaddrs.length === 0) return null;
  return {
    endpointRef: endpointRef ? unescape(endpointRef) : xaddrs[0],
    xaddrs,
    types: list(text(xml, 'Types')),
    scopes: list(text(xml, 'Scopes')),
    relatesTo: text(xml, 'RelatesTo') ?? null,
  };
}

/** onvif://www.onvif.org/name/Foo%20Bar → "Foo Bar" (and hardware, location). */
export function scopeValue(scopes: string[], key: 'name' | 'hardware' | 'location'): string | undefined {
  const prefix = `onvif://www.onvif.org/${key}/`;
  const hit = scopes.find((s) => s.startsWith(prefix));
  if (!hit) return undefined;
  try {
    return decodeURIComponent(hit.slice(prefix.length));
  } catch {
    return hit.slice(prefix.length);
  }
}
