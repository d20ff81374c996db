// The pure parts of user management: lockout of names without an account, generated initial passwords, the cheap
// hash they get and the padded sign-in check, and reading a staff sheet's cells.
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/domain/password-policy';
import { DUMMY_HASH, hashPassword, verifyPassword, verifyPasswordEvenly } from '../../server/security/passwords';
import { parseRole, pathNames, readUserCsv } from '../../server/users/import-read';
import { generateInitialPassword } from '../../server/users/initial-password';
import { LOCK_MINUTES, lockRemainingSec, MAX_FAILURES, PhantomLockout } from '../../server/users/lockout';

describe('lockout of names that have no account', () => {
  it('locks after the same number of failures as an account, for the same time, case-insensitively', () => {
    const phantoms = new PhantomLockout();
    const now = new Date('2026-12-01T08:00:00Z');
    for (let i = 1; i < MAX_FAILURES; i++) expect(phantoms.fail(i % 2 ? 'Ghost' : 'ghost', now)).toBeNull();
    const until = phantoms.fail('GHOST', now);
    expect(until).toBe(new Date(now.getTime() + LOCK_MINUTES * 60_000).toISOString());
    expect(phantoms.remainingSec('ghost', now)).toBe(LOCK_MINUTES * 60);
    expect(phantoms.remainingSec('ghost', new Date(now.getTime() + LOCK_MINUTES * 60_000))).toBe(0);
    expect(phantoms.remainingSec('other', now)).toBe(0);
  });

  it('forgets the oldest name beyond its limit', () => {
    const phantoms = new PhantomLockout(3);
    const now = new Date();
    for (let i = 0; i < MAX_FAILURES; i++) phantoms.fail('first', now);
    for (const name of ['a', 'b', 'c']) phantoms.fail(name, now);
    expect(phantoms.remainingSec('first', now)).toBe(0);
  });

  it('counts the time left in whole seconds', () => {
    const now = new Date('2026-12-01T08:00:00Z');
    expect(lockRemainingSec(null, now)).toBe(0);
    expect(lockRemainingSec('2026-12-01T08:00:01.200Z', now)).toBe(2);
    expect(lockRemainingSec('2026-12-01T07:59:00Z', now)).toBe(0);
  });
});

describe('initial passwords', () => {
  it('are random, readable, and meet the policy', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generateInitialPassword('zhang.wei');
      expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{4}(-[a-km-zA-HJ-NP-Z2-9]{4}){3}$/);
      expect(passwordProblem(p, 'zhang.wei')).toBeNull();
      seen.add(p);
    }
    expect(seen.size).toBe(200);
  });

  it('hash cheaply, verify like any hash, and sign-in still pays the normal cost for them', async () => {
    const password = generateInitialPassword('x');
    const cheap = await hashPassword(password, 'generated');
    expect(cheap).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await hashPassword(password)).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verifyPassword(password, cheap)).toBe(true);
    expect(await verifyPasswordEvenly(password, cheap)).toBe(true);
    expect(await verifyPasswordEvenly('wrong', cheap)).toBe(false);
    expect(await verifyPasswordEvenly(password, undefined)).toBe(false);
    expect(await verifyPasswordEvenly(password, '!deleted')).toBe(false);
    expect(await verifyPasswordEvenly(password, DUMMY_HASH)).toBe(false);
  });
});

describe('reading a staff sheet', () => {
  it('knows roles by key and by the words people write', () => {
    expect(parseRole('township_officer')).toBe('township_officer');
    expect(parseRole(' 乡镇值班员 ')).toBe('township_officer');
    expect(parseRole('网格员')).toBe('village_officer');
    expect(parseRole('County Operator')).toBe('county_operator');
    expect(parseRole('局长')).toBeUndefined();
    expect(pathNames(' 安澜县 / 城关镇／城南村 ')).toEqual(['安澜县', '城关镇', '城南村']);
  });

  it('maps English and Chinese headers, takes the formula guard off, and reports each bad cell', () => {
    const csv = 'Username,Full Name,Role,Org Path,Mobile,备注\r\nzhang.wei,张伟,admin,安澜县,"\'+86 138",x\r\n,,boss,,12\r\n';
    const read = readUserCsv(csv);
    expect(read.columns).toEqual({ Username: 'username', 'Full Name': 'displayName', Role: 'role', 'Org Path': 'orgUnitPath', Mobile: 'phone' });
    expect(read.ignored).toEqual(['备注']);
    expect(read.rows[0]).toMatchObject({ username: 'zhang.wei', role: 'admin', orgPath: ['安澜县'], phone: '+86 138', errors: [] });
    expect(read.rows[1].errors.map((e) => e.field)).toEqual(['username', 'displayName', 'role', 'orgUnitPath', 'phone']);
    expect(read.rows[1].errors[0]).toMatchObject({ row: 2, line: 3 });
  });
});
