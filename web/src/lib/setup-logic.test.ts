import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import { EMPTY_SETUP_FORM, formFieldOf, setupBody, setupProblems, tokenFromHash, type SetupForm } from './setup-logic';

const GOOD: SetupForm = {
  token: 'tok', countyName: ' 安澜县 ', countyCode: '339901', username: 'zhang.wei', displayName: '张伟', password: '灯塔-Reservoir-47', confirm: '灯塔-Reservoir-47',
};

describe('setup form', () => {
  it('takes the token from the URL fragment only when it is there', () => {
    expect(tokenFromHash('#token=AbC-123_x')).toBe('AbC-123_x');
    expect(tokenFromHash('#lang=en&token=AbC')).toBe('AbC');
    expect(tokenFromHash('')).toBeUndefined();
    expect(tokenFromHash('#token=')).toBeUndefined();
    expect(tokenFromHash('#other=1')).toBeUndefined();
  });

  it('accepts a complete form and sends it trimmed (the password as typed)', () => {
    expect(setupProblems(GOOD)).toEqual({});
    expect(setupBody({ ...GOOD, password: ' p ' })).toEqual({
      token: 'tok', county: { name: '安澜县', code: '339901' }, admin: { username: 'zhang.wei', displayName: '张伟', password: ' p ' },
    });
  });

  it('names every field that is wrong, with a message in both languages', () => {
    const problems = setupProblems(EMPTY_SETUP_FORM);
    expect(Object.keys(problems).sort()).toEqual(['countyCode', 'countyName', 'displayName', 'password', 'token', 'username']);
    for (const key of Object.values(problems)) {
      expect(zh[key!], key).toBeTruthy();
      expect(en[key!], key).toBeTruthy();
    }
  });

  it('applies the server rules: county code, username, password policy, confirmation', () => {
    expect(setupProblems({ ...GOOD, countyCode: '33990' }).countyCode).toBe('setup.error.countyCode');
    expect(setupProblems({ ...GOOD, countyCode: '339900' }).countyCode).toBe('setup.error.notCounty');
    expect(setupProblems({ ...GOOD, username: '张伟' }).username).toBe('setup.error.username');
    expect(setupProblems({ ...GOOD, password: 'short', confirm: 'short' }).password).toBe('password.problem.too-short');
    expect(setupProblems({ ...GOOD, password: 'zhang.wei-2026', confirm: 'zhang.wei-2026' }).password).toBe('password.problem.contains-username');
    expect(setupProblems({ ...GOOD, password: 'admin12345', confirm: 'admin12345' }).password).toBe('password.problem.common');
    expect(setupProblems({ ...GOOD, confirm: 'something else' })).toEqual({ confirm: 'setup.error.confirm' });
  });

  it('maps the field a server refusal names onto the form', () => {
    expect(formFieldOf('admin.password')).toBe('password');
    expect(formFieldOf('county.code')).toBe('countyCode');
    expect(formFieldOf(undefined)).toBeUndefined();
    expect(formFieldOf('something.else')).toBeUndefined();
  });
});
