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

export function layoutForKey(event: KeyLike, target: TargetLike | null | undefined): LayoutId | null {
  if (event.ctrlKey || event.metaKey || event.altKey || event.repeat || isTypingTarget(target)) return null;
  return LAYOUT_KEYS[event.key] ?? null;
}
