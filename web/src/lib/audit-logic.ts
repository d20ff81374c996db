// Pure helpers of the audit view: China time both ways, filter form ↔ API query, action labels, detail summaries,
// and the cursor stack behind newer/older paging.
import { buildUrl } from '../api/http';
import type { MessageKey } from '../i18n';
import { zh } from '../i18n/zh';

const CHINA_OFFSET_MS = 8 * 3600_000;

/** '2026-11-23 23:05:09' in China Standard Time (UTC+8, no daylight saving), whatever the browser's zone. */
export function chinaTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** A datetime-local value ('2026-11-23T08:30') read as China time, as an ISO instant; null when empty or invalid. */
export function fromChinaInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return null;
  const ms = Date.parse(`${value}:00+08:00`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The filter form as typed: strings, empty meaning "any". */
export interface AuditForm {
  from: string;
  to: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  orgUnitId: string;
  q: string;
}

export const EMPTY_FORM: AuditForm = { from: '', to: '', actor: '', action: '', targetType: '', targetId: '', orgUnitId: '', q: '' };

export type AuditFilterQuery = Partial<Record<'from' | 'to' | 'actor' | 'action' | 'targetType' | 'targetId' | 'q', string>> & { orgUnitId?: number };

export type FormProblem = 'audit.badRange' | 'audit.badTime';

/** The API query of a form, or the reason it cannot be sent. */
export function formQuery(form: AuditForm): { query: AuditFilterQuery } | { problem: FormProblem } {
  const query: AuditFilterQuery = {};
  for (const key of ['from', 'to'] as const) {
    if (!form[key]) continue;
    const iso = fromChinaInput(form[key]);
    if (!iso) return { problem: 'audit.badTime' };
    query[key] = iso;
  }
  if (query.from && query.to && query.from >= query.to) return { problem: 'audit.badRange' };
  for (const key of ['actor', 'action', 'targetType', 'targetId', 'q'] as const) {
    const value = form[key].trim();
    if (value) query[key] = value;
  }
  if (form.orgUnitId) query.orgUnitId = Number(form.orgUnitId);
  return { query };
}

export const auditCsvUrl = (query: AuditFilterQuery): string => buildUrl('/api/audit/export.csv', { ...query });

// ---- action words -------------------------------------------------------------------------------------------

const ACTION_PREFIX = 'audit.action.';

/** Known actions: the ones with words in the dictionary ('audit.action.<key>'). */
export const KNOWN_ACTIONS: string[] = Object.keys(zh)
  .filter((k) => k.startsWith(ACTION_PREFIX))
  .map((k) => k.slice(ACTION_PREFIX.length));

/** Action groups offered as prefix filters, in menu order. */
export const ACTION_GROUPS = [
  'auth', 'live', 'playback', 'recording', 'share', 'danger', 'dispatch', 'layout', 'catalogue', 'discovery', 'camera', 'user', 'account', 'audit',
  'org', 'setup', 'backup', 'maintenance', 'patrol', 'ptz', 'mobile',
] as const;

/** The dictionary key of an action's words, or undefined for an action this build does not know (shown raw). */
export function actionKey(action: string): MessageKey | undefined {
  const key = `${ACTION_PREFIX}${action}`;
  return key in zh ? (key as MessageKey) : undefined;
}

// ---- detail summaries ---------------------------------------------------------------------------------------

const SUMMARY_MAX = 140;

function short(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) return value.join(', ');
  return JSON.stringify(value);
}

/** One line for the table: 'key: value · key: value', cut at about 140 characters; the full JSON goes in a tooltip. */
export function detailSummary(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const text = Object.entries(detail)
    .map(([k, v]) => `${k}: ${short(v)}`)
    .join(' · ');
  return text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
}

// ---- keyset paging ------------------------------------------------------------------------------------------

/** Cursors of the pages seen so far: the last one is the current page's `before` (undefined: the newest page). */
export type CursorStack = Array<number | undefined>;

export const firstPage = (): CursorStack => [undefined];
export const olderPage = (stack: CursorStack, nextBefore: number): CursorStack => [...stack, nextBefore];
export const newerPage = (stack: CursorStack): CursorStack => (stack.length > 1 ? stack.slice(0, -1) : stack);
export const currentCursor = (stack: CursorStack): number | undefined => stack[stack.length - 1];
