import { describe, expect, it } from 'vitest';
import {
  browserLabel, checkNewPassword, EMPTY_USER_FILTERS, levelBelow, levelOfPath, passwordsFileName, roleOptions, userQuery, withUserFilter,
} from './users-logic';

describe('users view helpers', () => {
  it('turns the filters into the API query, dropping empty ones, and pages', () => {
    expect(userQuery(EMPTY_USER_FILTERS)).toEqual({ limit: 50, offset: 0 });
    expect(userQuery({ orgUnitId: 7, role: 'village_officer', status: 'locked', q: '  张 ', page: 2 })).toEqual({
      limit: 50, offset: 100, orgUnitId: 7, role: 'village_officer', status: 'locked', q: '张',
    });
    expect(withUserFilter({ ...EMPTY_USER_FILTERS, page: 3 }, { role: 'admin' })).toMatchObject({ role: 'admin', page: 0 });
  });

  it('knows a unit\'s level from its depth, and offers the roles that fit it', () => {
    expect(levelBelow('county', 0)).toBe('county');
    expect(levelBelow('county', 2)).toBe('village');
    expect(levelBelow('township', 1)).toBe('village');
    expect(levelBelow('compound', 1)).toBeUndefined();
    expect(levelOfPath('安澜县')).toBe('county');
    expect(levelOfPath('安澜县/东城街道/团结社区/东城小区')).toBe('compound');
    expect(roleOptions('county', 'county')).toEqual(['admin', 'county_operator']);
    expect(roleOptions('village', 'township')).toEqual(['admin', 'village_officer']);
    expect(roleOptions(undefined, 'county')).toEqual([]);
  });

  it('checks a new password with the server\'s rule before sending it', () => {
    expect(checkNewPassword('short', 'short', 'zhang')).toBe('too-short');
    expect(checkNewPassword('zhang.wei-2026', 'zhang.wei-2026', 'zhang.wei')).toBe('contains-username');
    expect(checkNewPassword('Password123', 'Password123', 'zhang')).toBe('common');
    expect(checkNewPassword('灯塔-Reservoir-47', '灯塔-Reservoir-48', 'zhang')).toBe('mismatch');
    expect(checkNewPassword('灯塔-Reservoir-47', '灯塔-Reservoir-47', 'zhang', '灯塔-Reservoir-47')).toBe('same');
    expect(checkNewPassword('灯塔-Reservoir-47', '灯塔-Reservoir-47', 'zhang', 'old-one')).toBeNull();
  });

  it('names a session\'s browser briefly', () => {
    expect(browserLabel('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36')).toBe('Chrome · Windows');
    expect(browserLabel('Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0')).toBe('Firefox · Linux');
    expect(browserLabel('lightmyrequest')).toBe('lightmyrequest');
    expect(browserLabel(null)).toBe('—');
    expect(passwordsFileName(new Date('2026-12-01T10:00:00Z'))).toBe('initial-passwords-2026-12-01.csv');
  });
});
