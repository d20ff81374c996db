// Server-side secrets: the keyed hash for bearer tokens (sessions, share links) and at-rest encryption of
// camera passwords. Keys come from config or are generated once into dataDir with owner-only permissions.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Secrets {
  /** Keyed hash of a bearer token: what the database stores instead of the token. */
  tokenHash(token: string): string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** A 256-bit key kept in `dataDir/name` (created owner-only on first use): session, vault and cluster keys. */
export function loadOrCreateKey(dataDir: string, name: string): Buffer {
  const file = join(dataDir, name);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

const IV_BYTES = 12;
const IVS_PER_DRAW = 1024;

/** Random GCM nonces drawn from the CSPRNG a thousand at a time: a 100,000-row catalogue import encrypts a password
 * per row, and one randomBytes call per row was ~5 % of the import's CPU. Each nonce is still used once. */
function ivSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let next = 0;
  return () => {
    if (next >= pool.length) {
      pool = randomBytes(IV_BYTES * IVS_PER_DRAW);
      next = 0;
    }
    const iv = pool.subarray(next, next + IV_BYTES);
    next += IV_BYTES;
    return iv;
  };
}

export function createSecrets(dataDir: string, configuredSessionSecret: string): Secrets {
  const hmacKey = configuredSessionSecret ? Buffer.from(configuredSessionSecret, 'utf8') : loadOrCreateKey(dataDir, 'session.key');
  const vaultKey = loadOrCreateKey(dataDir, 'vault.key');
  const nextIv = ivSource();
  return {
    tokenHash: (token) => createHmac('sha256', hmacKey).update(token).digest('base64url'),
    encrypt(plain) {
      const iv = nextIv();
      const cipher = createCipheriv('aes-256-gcm', vaultKey, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
    },
    decrypt(sealed) {
      const [version, iv, tag, body] = sealed.split(':');
      if (version !== 'v1') throw new Error('Unknown credential format');
      const decipher = createDecipheriv('aes-256-gcm', vaultKey, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
