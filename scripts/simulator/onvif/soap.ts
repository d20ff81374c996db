// SOAP 1.2 envelopes, faults and WS-Security UsernameToken checking for the simulated ONVIF device.
// Requests are read with tolerant regular expressions (namespace prefixes vary between clients); the simulator
// only needs the operation name, a few parameters and the security header.
import { createHash } from 'node:crypto';

export const NS = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tptz: 'http://www.onvif.org/ver20/ptz/wsdl',
  trc: 'http://www.onvif.org/ver10/recording/wsdl',
  tse: 'http://www.onvif.org/ver10/search/wsdl',
  trp: 'http://www.onvif.org/ver10/replay/wsdl',
  tt: 'http://www.onvif.org/ver10/schema',
  ter: 'http://www.onvif.org/ver10/error',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
} as const;

export function envelope(body: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>' +
    `<s:Envelope xmlns:s="${NS.s}" xmlns:tds="${NS.tds}" xmlns:trt="${NS.trt}" xmlns:tptz="${NS.tptz}" xmlns:trc="${NS.trc}" xmlns:tse="${NS.tse}" xmlns:trp="${NS.trp}" xmlns:tt="${NS.tt}" xmlns:ter="${NS.ter}">` +
    `<s:Body>${body}</s:Body></s:Envelope>`;
}

/** A SOAP 1.2 fault with an ONVIF subcode, e.g. ('Sender', 'ter:NotAuthorized', 'Sender not Authorized'). */
export function fault(code: 'Sender' | 'Receiver', subcode: string, reason: string, subsubcode?: string): string {
  const inner = subsubcode ? `<s:Subcode><s:Value>${subsubcode}</s:Value></s:Subcode>` : '';
  return envelope(
    `<s:Fault><s:Code><s:Value>s:${code}</s:Value><s:Subcode><s:Value>${subcode}</s:Value>${inner}</s:Subcode></s:Code>` +
    `<s:Reason><s:Text xml:lang="en">${escapeXml(reason)}</s:Text></s:Reason></s:Fault>`,
  );
}

export function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/** The operation: local name of the first element inside Body, and its namespace URI when declared. */
export function operationOf(xml: string): { name: string; ns?: string } | undefined {
  const m = /<(?:[\w.-]+:)?Body\b[^>]*>\s*<(?:([\w.-]+):)?([\w.-]+)([^>]*)>?/s.exec(xml);
  if (!m) return undefined;
  const [, prefix, name, attrs] = m;
  const nsRe = prefix ? new RegExp(`xmlns:${prefix}="([^"]+)"`) : /xmlns="([^"]+)"/;
  const ns = nsRe.exec(attrs)?.[1] ?? nsRe.exec(xml)?.[1];
  return { name, ns };
}

/** Text content of the first element with this local name (any prefix). */
export function elementText(xml: string, local: string): string | undefined {
  const m = new RegExp(`<(?:[\\w.-]+:)?${local}\\b[^>]*>([^<]*)</(?:[\\w.-]+:)?${local}>`, 's').exec(xml);
  return m ? m[1].trim() : undefined;
}

export type WsseResult = 'ok' | 'missing' | 'rejected';

/**
 * WS-Security UsernameToken (ONVIF Core §5.12): PasswordDigest = Base64(SHA1(nonce + created + password)).
 * PasswordText is accepted too, as many cameras do. Created is not checked against the clock: the onvif client
 * derives it from the camera's own GetSystemDateAndTime, to the second, and a simulator gains nothing by
 * refusing a skewed client.
 */
export function checkUsernameToken(xml: string, username: string, password: string): WsseResult {
  if (!/<(?:[\w.-]+:)?UsernameToken\b/.test(xml)) return 'missing';
  const user = elementText(xml, 'Username');
  const pw = /<(?:[\w.-]+:)?Password\b([^>]*)>([^<]*)</.exec(xml);
  if (user !== username || !pw) return 'rejected';
  const [, attrs, value] = pw;
  if (/PasswordText/.test(attrs)) return value === password ? 'ok' : 'rejected';
  const nonce = elementText(xml, 'Nonce') ?? '';
  const created = elementText(xml, 'Created') ?? '';
  const digest = createHash('sha1')
    .update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');
  return digest === value.trim() ? 'ok' : 'rejected';
}
