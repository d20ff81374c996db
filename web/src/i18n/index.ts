// A tiny typed dictionary: no i18n library. zh-CN is the default; the choice persists in localStorage.
import { en } from './en';
import { zh, type MessageKey } from './zh';

export type { MessageKey } from './zh';
export type Lang = 'zh-CN' | 'en';
export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { 'zh-CN': zh, en };
export const DEFAULT_LANG: Lang = 'zh-CN';
const STORAGE_KEY = 'console.lang';

export function translate(lang: Lang, key: MessageKey, params?: Params): string {
  const template = dictionaries[lang][key] ?? dictionaries[DEFAULT_LANG][key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Placeholder names used in a template, sorted: both languages must use the same set. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

export function isLang(value: unknown): value is Lang {
  return value === 'zh-CN' || value === 'en';
}

export function loadLang(storage: Pick<Storage, 'getItem'> | undefined): Lang {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    return isLang(stored) ? stored : DEFAULT_LANG;
  } catch {
    return DEFAULT_LANG; // storage blocked (private mode, policy): fall back silently
  }
}

export function saveLang(storage: Pick<Storage, 'setItem'> | undefined, lang: Lang): void {
  try {
    storage?.setItem(STORAGE_KEY, lang);
  } catch {
    /* not persisted; the toggle still works for this page */
  }
}

/**
 * A message kept as data (toasts, the activity log) so that it follows a language switch: `paramKeys` name
 * parameters that are themselves dictionary entries (a status, an action) and are translated when shown.
 */
export interface Message {
  key: MessageKey;
  params?: Params;
  paramKeys?: Record<string, MessageKey>;
}

export function formatMessage(t: Translate, message: Message): string {
  const params: Params = { ...message.params };
  for (const [name, key] of Object.entries(message.paramKeys ?? {})) params[name] = t(key);
  return t(message.key, params);
}
