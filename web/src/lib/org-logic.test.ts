import { describe, expect, it } from 'vitest';
import { deleteBlockers, moveTargetDepth, nameFields, unitLabel, validName } from './org-logic';

describe('unitLabel', () => {
  it('shows the English name in English and falls back to the Chinese name', () => {
    expect(unitLabel({ name: '东城街道', nameEn: 'Dongcheng' }, 'en')).toBe('Dongcheng');
    expect(unitLabel({ name: '东城街道', nameEn: 'Dongcheng' }, 'zh-CN')).toBe('东城街道');
    expect(unitLabel({ name: '东城街道', nameEn: null }, 'en')).toBe('东城街道');
    expect(unitLabel({ name: '东城街道', nameEn: '' }, 'en')).toBe('东城街道');
    expect(unitLabel({ name: '东城街道' }, 'en')).toBe('东城街道');
  });
});

describe('deleteBlockers', () => {
  it('names child units, cameras and users that are left; nothing for an empty unit', () => {
    expect(deleteBlockers({ childCount: 0, cameraCount: 0, userCount: 0 })).toEqual([]);
    expect(deleteBlockers({ childCount: 2, cameraCount: 74, userCount: 1 }).map((b) => [b.key, b.params.n])).toEqual([
      ['org.reason.children', 2], ['org.reason.cameras', 74], ['org.reason.users', 1],
    ]);
  });
});

describe('moveTargetDepth', () => {
  it('counts picker levels from the scope root to the level above the unit', () => {
    expect(moveTargetDepth('village', 'county')).toBe(1); // a township below the county
    expect(moveTargetDepth('compound', 'county')).toBe(2); // township, then village
    expect(moveTargetDepth('compound', 'township')).toBe(1);
    expect(moveTargetDepth('township', 'county')).toBe(0); // only the root itself: nothing to choose
    expect(moveTargetDepth('village', 'village')).toBeLessThan(1);
  });
});

describe('names', () => {
  it('trims, clears an empty English name, refuses blank, "/" and overlong names', () => {
    expect(nameFields('  新风社区 ', '  ')).toEqual({ name: '新风社区', nameEn: null });
    expect(nameFields('新风社区', ' Xinfeng ')).toEqual({ name: '新风社区', nameEn: 'Xinfeng' });
    expect(validName('  ')).toBe(false);
    expect(validName('东城/西城')).toBe(false);
    expect(validName('x'.repeat(51))).toBe(false);
    expect(validName(' 新风社区 ')).toBe(true);
  });
});
