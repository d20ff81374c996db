// Per-viewer tokens: what a resident's player carries on every playlist and segment URL. Signed, not stored:
// "link L, device D, issued at T". Every request checks the link's current state, so revocation or expiry of
// the link ends every viewer token at once, including copied segment URLs.
import { timingSafeEqual } from 'node:crypto';

export interface ViewerClaims {
  linkId: number;
  /** Short hash of the device id, to count devices and concurrent viewers. */
  device: string;
  issuedAt: number;
}

type Sign = (data: string) => string;

export function issueViewerToken(claims: ViewerClaims, sign: Sign): string {
  const body = Buffer.from(JSON.stringify([claims.linkId, claims.device, claims.issuedAt])).toString('base64url');
  return `${body}.${sign(`viewer:${body}`)}`;
}

/** The claims of a well-formed, correctly signed token; undefined for anything else (tampered, truncated, junk). */
export function readViewerToken(token: string, sign: Sign): ViewerClaims | undefined {
  if (token.length > 300) return undefined;
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  const expected = Buffer.from(sign(`viewer:${body}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  try {
    const [linkId, device, issuedAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (!Number.isSafeInteger(linkId) || typeof device !== 'string' || !Number.isSafeInteger(issuedAt)) return undefined;
    return { linkId: linkId as number, device, issuedAt: issuedAt as number };
  } catch {
    return undefined;
  }
}
