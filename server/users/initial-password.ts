// Initial passwords for accounts an administrator creates, imports or resets: shown once to that administrator,
// never stored in clear, replaced by the user at first sign-in. 16 characters from 56 that cannot be mistaken for
// one another when read out over the phone or copied from paper (no 0/O, 1/l/I), in groups of four: 16 · log2(56)
// ≈ 93 bits of entropy, well above the 64 that justify hashing them at a lower cost (server/security/passwords.ts).
import { randomInt } from 'node:crypto';
import { passwordProblem } from '../domain/password-policy';

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function generateInitialPassword(username: string): string {
  for (;;) {
    const chars = Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]);
    const password = [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
    // It meets the policy it will be judged by anyway; the loop only guards against the astronomically unlikely
    // draw that happens to contain the username.
    if (passwordProblem(password, username) === null) return password;
  }
}
