// The one-time setup token: while a console has no user at all, whoever holds this token may create the first
// administrator through the web (POST /api/setup). It lives in <dataDir>/setup-token (owner-only, like the keys) and
// is printed on the console at start, so only someone who can read the server's console or its data directory can
// use it. It is deleted once the first administrator exists.
import { createHash, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newToken } from '../security/secrets';

export const SETUP_TOKEN_FILE = 'setup-token';
/** newToken(): 256 random bits as 43 base64url characters. Anything else in the file is not ours. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export const setupTokenPath = (dataDir: string) => join(dataDir, SETUP_TOKEN_FILE);

export function readSetupToken(dataDir: string): string | undefined {
  try {
    const token = readFileSync(setupTokenPath(dataDir), 'utf8').trim();
    return TOKEN_SHAPE.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The token to use for this start: the one already in the file (a restart before setup keeps the printed URL valid),
 * or a new one written owner-only (temp file + rename, so a reader never sees half a token).
 */
export function ensureSetupToken(dataDir: string): string {
  const existing = readSetupToken(dataDir);
  const file = setupTokenPath(dataDir);
  if (existing) {
    chmodSync(file, 0o600);
    return existing;
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const token = newToken();
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return token;
}

export function removeSetupToken(dataDir: string): void {
  rmSync(setupTokenPath(dataDir), { force: true });
}

/** Constant-time comparison: both sides are hashed first, so neither length nor content leaks through timing. */
export function setupTokenMatches(expected: string, given: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
