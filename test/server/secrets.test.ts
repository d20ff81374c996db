// Camera passwords at rest: AES-256-GCM with a fresh nonce each time, also across the nonce pool's refills.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSecrets } from '../../server/security/secrets';

describe('secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cvc-secrets-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('seals every password with its own nonce and opens each again', () => {
    const secrets = createSecrets(dir, '');
    const sealed = Array.from({ length: 2500 }, (_, i) => secrets.encrypt(`pass-${i % 3}`));
    const nonces = new Set(sealed.map((s) => s.split(':')[1]));
    expect(nonces.size).toBe(sealed.length);
    sealed.forEach((s, i) => expect(secrets.decrypt(s)).toBe(`pass-${i % 3}`));
    // Same password, different ciphertext: the stored value says nothing about which cameras share one.
    expect(sealed[0]).not.toBe(sealed[3]);
  });

  it('refuses a tampered ciphertext', () => {
    const secrets = createSecrets(dir, '');
    const [v, iv, tag, body] = secrets.encrypt('Sim-1-pass').split(':');
    const flipped = Buffer.from(body!, 'base64');
    flipped[0] ^= 1;
    expect(() => secrets.decrypt([v, iv, tag, flipped.toString('base64')].join(':'))).toThrow();
  });
});
