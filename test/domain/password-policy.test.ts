// The password rule shared by the server and the web (server/domain/password-policy.ts).
import { describe, expect, it } from 'vitest';
import { MIN_PASSWORD_LENGTH, passwordProblem } from '../../server/domain/password-policy';

describe('password policy', () => {
  it('takes a long, unusual password', () => {
    expect(passwordProblem('灯塔-Reservoir-47', 'chengguan')).toBeNull();
    expect(passwordProblem('x'.repeat(MIN_PASSWORD_LENGTH - 1) + 'y', 'zhang')).toBeNull();
  });

  it('counts characters, not bytes or UTF-16 units', () => {
    expect(passwordProblem('综治中心视频调度平台', 'zhang')).toBeNull(); // 10 characters
    expect(passwordProblem('综治中心视频调度平', 'zhang')).toBe('too-short');
  });

  it('refuses short, username-bearing, one-character and common passwords', () => {
    expect(passwordProblem('short', 'zhang')).toBe('too-short');
    expect(passwordProblem('Chengguan-2026', 'chengguan')).toBe('contains-username');
    expect(passwordProblem('aaaaaaaaaaaa', 'zhang')).toBe('one-character');
    expect(passwordProblem('Password123', 'zhang')).toBe('common');
    expect(passwordProblem('1234567890', 'zhang')).toBe('common');
    expect(passwordProblem('y'.repeat(129), 'zhang')).toBe('too-long');
  });

  it('does not treat a one- or two-letter username as contained everywhere', () => {
    expect(passwordProblem('Reservoir-47-a', 'a')).toBeNull();
  });
});
