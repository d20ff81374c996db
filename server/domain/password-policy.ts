// What a user's password must be: at least 10 characters, not the username (nor containing it), not a commonly
// used password. Pure and shared: the server refuses with the reason, the web shows the same rule before a round
// trip. Checked when a password is set (created, reset by hand, changed); demo and existing hashes are left alone.

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 128;

export type PasswordProblem = 'too-short' | 'too-long' | 'contains-username' | 'common' | 'one-character';

/**
 * Passwords seen most in leaks and guessed first, and the county-office habits (unit name + year, 123456 stretched
 * to length), compared lower-cased. Short on purpose: the length rule already rules out most of the usual lists.
 */
const COMMON = new Set([
  '1234567890', '12345678910', '123456789a', 'a123456789', '0123456789', '9876543210', '1qaz2wsx3edc', '1q2w3e4r5t',
  'qwertyuiop', 'qwerty123456', 'asdfghjkl;', 'zxcvbnm123', '1qazxsw23edc', 'abcd123456', 'abc1234567', 'abcdefghij',
  'password12', 'password123', 'password1234', 'passw0rd12', 'p@ssw0rd123', 'p@ssword123', 'iloveyou12', 'woaini1314',
  'woaini521521', '5201314520', '1314520520', 'admin12345', 'admin123456', 'administrator', 'root123456', 'test123456',
  'welcome123', 'changeme123', 'qq123456789', 'aa123456789', 'a1234567890', '11111111111', '123123123123', '1234512345',
  '147258369', '1472583690', '3141592653', 'zaq12wsxcde', 'asd1234567', 'qwe1234567', 'qweasdzxc1', 'qweasdzxc123',
  'huawei12345', 'hikvision123', 'dahua123456', 'admin@123456', 'admin#123456', 'zongzhi123', 'zongzhi2024', 'zongzhi2025',
  'zongzhi2026', 'xueliang123', 'tianwang123', 'anlan123456', 'county12345', 'police12345', 'gongan123456',
]);

/** The first problem with `password` for `username`, or null when it may be used. */
export function passwordProblem(password: string, username: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'too-short';
  if ([...password].length > MAX_PASSWORD_LENGTH) return 'too-long';
  const lower = password.toLowerCase();
  const name = username.trim().toLowerCase();
  if (name.length >= 3 && lower.includes(name)) return 'contains-username';
  if (new Set(password).size === 1) return 'one-character';
  if (COMMON.has(lower)) return 'common';
  return null;
}

/** English explanations, for API error messages (the web has its own translated texts keyed by problem). */
export const PASSWORD_PROBLEM_TEXT: Record<PasswordProblem, string> = {
  'too-short': `must be at least ${MIN_PASSWORD_LENGTH} characters long`,
  'too-long': `must be at most ${MAX_PASSWORD_LENGTH} characters long`,
  'contains-username': 'must not contain the username',
  'common': 'is a commonly used password; choose another',
  'one-character': 'must not repeat one character',
};
