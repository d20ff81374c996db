// Which role fits which unit, and which roles an administrator may hand out (server/domain/user-roles.ts), shared by
// the user service and the web's user form.
import { describe, expect, it } from 'vitest';
import { grantableRoles, roleFitsLevel, rolesFor } from '../../server/domain/user-roles';

describe('user roles and org levels', () => {
  it('puts county operators on the county, officers on their own level, administrators anywhere', () => {
    expect(roleFitsLevel('county_operator', 'county')).toBe(true);
    expect(roleFitsLevel('county_operator', 'township')).toBe(false);
    expect(roleFitsLevel('township_officer', 'township')).toBe(true);
    expect(roleFitsLevel('township_officer', 'village')).toBe(false);
    expect(roleFitsLevel('village_officer', 'village')).toBe(true);
    expect(roleFitsLevel('village_officer', 'compound')).toBe(true);
    expect(roleFitsLevel('village_officer', 'township')).toBe(false);
    for (const level of ['county', 'township', 'village', 'compound'] as const) expect(roleFitsLevel('admin', level)).toBe(true);
  });

  it('lets an administrator grant only roles that can exist inside their area', () => {
    expect(grantableRoles('county')).toEqual(['admin', 'county_operator', 'township_officer', 'village_officer']);
    expect(grantableRoles('township')).toEqual(['admin', 'township_officer', 'village_officer']);
    expect(grantableRoles('village')).toEqual(['admin', 'village_officer']);
    expect(grantableRoles('compound')).toEqual(['admin', 'village_officer']);
  });

  it('offers, for a unit, the roles that fit it and that the administrator may grant', () => {
    expect(rolesFor('county', 'county')).toEqual(['admin', 'county_operator']);
    expect(rolesFor('township', 'county')).toEqual(['admin', 'township_officer']);
    expect(rolesFor('township', 'township')).toEqual(['admin', 'township_officer']);
    expect(rolesFor('compound', 'township')).toEqual(['admin', 'village_officer']);
  });
});
