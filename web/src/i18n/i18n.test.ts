import { describe, expect, it } from 'vitest';
import { dictionaries, loadLang, placeholders, saveLang, translate } from './index';
import { en } from './en';
import { zh } from './zh';

describe('i18n dictionaries', () => {
  it('has every key in both languages, and no extras', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
  });

  it('has no empty strings', () => {
    for (const dict of Object.values(dictionaries)) {
      for (const [key, value] of Object.entries(dict)) expect(value.trim(), key).not.toBe('');
    }
  });

  it('uses the same placeholders in both languages', () => {
    for (const key of Object.keys(zh) as Array<keyof typeof zh>) {
      expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'tree.counts', { online: 3, total: 10 })).toBe('在线 3 / 共 10');
    expect(translate('en', 'tree.counts', { online: 3 })).toBe('3 online / {total}');
  });
});

describe('language persistence', () => {
  it('defaults to zh-CN and round-trips a choice', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    expect(loadLang(storage)).toBe('zh-CN');
    saveLang(storage, 'en');
    expect(loadLang(storage)).toBe('en');
    store.set('console.lang', 'fr');
    expect(loadLang(storage)).toBe('zh-CN');
    expect(loadLang(undefined)).toBe('zh-CN');
  });

  it('survives a storage that throws', () => {
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    expect(loadLang(broken)).toBe('zh-CN');
    expect(() => saveLang(broken, 'en')).not.toThrow();
  });
});

describe('formatMessage', () => {
  it('translates parameters that are dictionary keys at display time', async () => {
    const { formatMessage } = await import('./index');
    const message = { key: 'toast.status' as const, params: { id: 6 }, paramKeys: { status: 'taskStatus.returned' as const } };
    expect(formatMessage((k, p) => translate('zh-CN', k, p), message)).toBe('任务 #6：已退回');
    expect(formatMessage((k, p) => translate('en', k, p), message)).toBe('Task #6: Returned');
  });
});
