import { describe, expect, it } from 'vitest';
import { layoutForKey, shortcutFor, wallKeyAction } from './hotkeys';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods,
});

describe('layout shortcuts', () => {
  it('maps 1/4/9/0 and 6', () => {
    expect(layoutForKey(key('1'), { tagName: 'DIV' })).toBe('1');
    expect(layoutForKey(key('4'), null)).toBe('4');
    expect(layoutForKey(key('9'), null)).toBe('9');
    expect(layoutForKey(key('0'), null)).toBe('16');
    expect(layoutForKey(key('6'), null)).toBe('1+5');
    expect(layoutForKey(key('2'), null)).toBeNull();
    expect(shortcutFor('16')).toBe('0');
  });

  it('ignores typing and modified keys', () => {
    expect(layoutForKey(key('1'), { tagName: 'input' })).toBeNull();
    expect(layoutForKey(key('1'), { tagName: 'TEXTAREA' })).toBeNull();
    expect(layoutForKey(key('1'), { tagName: 'DIV', isContentEditable: true })).toBeNull();
    expect(layoutForKey(key('1', { ctrlKey: true }), null)).toBeNull();
    expect(layoutForKey(key('4', { metaKey: true }), null)).toBeNull();
  });
});

describe('wall keys', () => {
  it('maps Escape, Delete and layouts', () => {
    expect(wallKeyAction(key('Escape'), null)).toEqual({ type: 'unfocus' });
    expect(wallKeyAction(key('Delete'), { tagName: 'DIV' })).toEqual({ type: 'remove-selected' });
    expect(wallKeyAction(key('0'), null)).toEqual({ type: 'layout', layout: '16' });
    expect(wallKeyAction(key('Delete'), { tagName: 'INPUT' })).toBeNull();
    expect(wallKeyAction(key('x'), null)).toBeNull();
  });
});
