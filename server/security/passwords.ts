// User passwords: scrypt with a per-password salt, compared in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const PARAMS: ScryptOptions = { N: 16384, r: 8, p: 1 };
/**
 * For passwords the server generated itself (server/users/initial-password.ts: ≥ 64 random bits, to be replaced at
 * first sign-in), never for one a person chose. Slow hashing makes guessing a weak password from a stolen hash
 * expensive; a random 64-bit secret cannot be guessed at any hashing cost, so 1/16 of the work (~2.5 ms instead of
 * ~30 ms on the 2-core development machine) loses nothing, and lets a bulk import of 530 accounts hash in ~0.5 s
 * instead of ~10 s.
 */
const GENERATED_PARAMS: ScryptOptions = { N: 1024, r: 8, p: 1 };
const KEY_LENGTH = 32;

/** 'typed': a password a person chose (normal cost); 'generated': a random one made by the server (see above). */
export type PasswordOrigin = 'typed' | 'generated';

function derive(password: string, salt: Buffer, params: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, params, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Returns "scrypt$N$r$p$salt$hash" so the parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string, origin: PasswordOrigin = 'typed'): Promise<string> {
  const params = origin === 'generated' ? GENERATED_PARAMS : PARAMS;
  const salt = randomBytes(16);
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password.normalize('NFKC'), Buffer.from(salt, 'base64'), expected.length, { N: +n, r: +r, p: +p }, (err, k) =>
      err ? reject(err) : resolve(k),
    ),
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A dummy hash to verify against when the user does not exist, so timing does not reveal valid usernames. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

/**
 * verifyPassword for sign-in, taking about as long whatever the account: an unknown or deleted account is checked
 * against DUMMY_HASH, and an account whose hash is cheaper than the normal cost (a generated initial password) also
 * pays for one normal-cost check, so response times tell neither which usernames exist nor which hold a generated
 * password.
 */
export async function verifyPasswordEvenly(password: string, stored: string | undefined): Promise<boolean> {
  const [scheme, n] = (stored ?? '').split('$');
  if (!stored || scheme !== 'scrypt') {
    await verifyPassword(password, DUMMY_HASH);
    return false;
  }
  const ok = await verifyPassword(password, stored);
  if (Number(n) < (PARAMS.N as number)) await verifyPassword(password, DUMMY_HASH);
  return ok;
}
