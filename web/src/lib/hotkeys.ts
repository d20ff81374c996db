// Layout shortcuts on the wall: 1/4/9/0(=16), 6 for 1+5; never while typing.
import type { LayoutId } from '../components/wall/wall-state';

export const LAYOUT_KEYS: Readonly<Record<string, LayoutId>> = { '1': '1', '4': '4', '9': '9', '0': '16', '6': '1+5' };

export const shortcutFor = (layout: LayoutId): string =>
  Object.entries(LAYOUT_KEYS).find(([, l]) => l === layout)?.[0] ?? '';

interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  repeat?: boolean;
}

interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
}

export function isTypingTarget(target: TargetLike | null | undefined): boolean {
  if (!target) return false;
  const tag = (target.tagName ?? '').toUpperCase();
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable === true;
}

export type WallKeyAction = { type: 'layout'; layout: LayoutId } | { type: 'unfocus' } | { type: 'remove-selected' };

/** Wall keys: layouts, Escape leaves a blown-up tile, Delete closes the selected tile. */
export function wallKeyAction(event: KeyLike, target: TargetLike | null | undefined): WallKeyAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(target)) return null;
  if (event.key === 'Escape') return { type: 'unfocus' };
  if (event.key === 'Delete') return { type: 'remove-selected' };
  const layout = layoutForKey(event, target);
  return layout ? { type: 'layout', layout } : null;
}

export function layoutForKey(event: KeyLike, target: TargetLike | null | undefined): LayoutId | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTypingTarget(target)) return null;
  return LAYOUT_KEYS[event.key] ?? null;
}
