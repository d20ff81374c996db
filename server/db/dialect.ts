// The repositories' SQL is written once, in the SQLite dialect it grew up in; this turns a statement into
// PostgreSQL's. Only the differences that are mechanical live here (placeholders, SQLite-only keywords, scalar
// max/min); what differs in meaning (full-text search, R*Tree, bulk internals) is branched on `db.dialect` in the
// repository, and SQLite functions PostgreSQL lacks (julianday, instr, json_each over an array, sum of a
// boolean) are defined in PostgreSQL by migrations/pg/000_sqlite_compat.sql. See server/db/README.md.
import type { Params, SqlValue } from './database';

export interface PgStatement {
  text: string;
  /** Per $n (1-based, index n-1): the positional index or the named key its value comes from. */
  sources: Array<number | string>;
  insert: boolean;
  returning: boolean;
}

const cache = new Map<string, PgStatement>();
const CACHE_LIMIT = 2000;

/** Translates once per distinct SQL text (repositories build a bounded set of them). */
export function toPostgres(sql: string): PgStatement {
  let hit = cache.get(sql);
  if (!hit) {
    hit = translate(sql);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(sql, hit);
  }
  return hit;
}

/** The values in $n order for a translated statement. */
export function bindValues(stmt: PgStatement, params: Params | undefined): SqlValue[] {
  if (!params) return stmt.sources.map(() => null);
  if (Array.isArray(params)) return stmt.sources.map((s) => (typeof s === 'number' ? params[s] ?? null : null));
  const named = params as Record<string, SqlValue>;
  return stmt.sources.map((s) => {
    if (typeof s === 'number') return null;
    const v = s in named ? named[s] : named[s.slice(1)];
    if (v === undefined) throw new Error(`Missing SQL parameter ${s}`);
    return v;
  });
}

/** Run statements: an INSERT reports the new row's id (SQLite's lastID) through RETURNING. */
export function withReturning(stmt: PgStatement): string {
  return stmt.insert && !stmt.returning ? `${stmt.text} RETURNING *` : stmt.text;
}

function translate(sql: string): PgStatement {
  const sources: Array<number | string> = [];
  const namedIndex = new Map<string, number>();
  let positional = 0;
  let out = '';
  let code = ''; // the current stretch of code (outside quotes), rewritten before it is appended
  const flush = () => {
    out += rewriteCode(code);
    code = '';
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      flush();
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c) {
          if (sql[j + 1] === c) j += 2;
          else break;
        } else j++;
      }
      out += sql.slice(i, j + 1);
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end;
    } else if (c === '?') {
      sources.push(positional++);
      code += param(code, sources.length, sql, i + 1);
      i++;
    } else if ((c === ':' || c === '@' || c === '$') && /[A-Za-z_]/.test(sql[i + 1] ?? '') && sql[i - 1] !== ':') {
      const m = /^[A-Za-z_]\w*/.exec(sql.slice(i + 1))!;
      const name = c + m[0];
      let n = namedIndex.get(name);
      if (n === undefined) {
        sources.push(name);
        n = sources.length;
        namedIndex.set(name, n);
      }
      code += param(code, n, sql, i + 1 + m[0].length);
      i += 1 + m[0].length;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  let text = scalarMinMax(out.trim().replace(/;\s*$/, ''));
  const insert = /^\s*INSERT\b/i.test(text);
  const orIgnore = /^\s*INSERT\s+OR\s+IGNORE\b/i.test(text);
  if (/^\s*INSERT\s+OR\s+REPLACE\b/i.test(text)) throw new Error('INSERT OR REPLACE has no PostgreSQL translation: write ON CONFLICT … DO UPDATE');
  if (orIgnore) text = `${text.replace(/^\s*INSERT\s+OR\s+IGNORE\b/i, 'INSERT')} ON CONFLICT DO NOTHING`;
  return { text, sources, insert, returning: /\bRETURNING\b/i.test(text) };
}

/**
 * A placeholder as PostgreSQL needs it where it stands: `x IS ?` is `IS NOT DISTINCT FROM`, and a bare `? IS NULL`
 * gives PostgreSQL no type to infer, so it is cast to text (the driver sends every value as text anyway).
 */
function param(before: string, n: number, sql: string, after: number): string {
  const isNot = /\bIS\s+NOT\s+$/i.exec(before);
  const is = /\bIS\s+$/i.exec(before);
  if (isNot || is) {
    // Replace the trailing IS [NOT] written already: the caller appends to `code`, so return a suffix that
    // follows it; the rewrite to DISTINCT FROM happens in rewriteCode via a marker.
    return `${isNot ? '\u0001' : '\u0002'}$${n}`;
  }
  if (/^\s+IS\s+(NOT\s+)?NULL\b/i.test(sql.slice(after))) return `$${n}::text`;
  return `$${n}`;
}

function rewriteCode(code: string): string {
  return code
    // camelCase aliases (`password_hash AS passwordHash`) and their uses: PostgreSQL folds unquoted names to lower
    // case, so they are quoted to come back as the repositories name them. Keywords are never mixed case.
    .replace(/(?<![\w"$])([a-z_][a-z0-9_]*[A-Z][A-Za-z0-9_]*)\b/g, '"$1"')
    .replace(/\bIS\s+NOT\s+\u0001/gi, 'IS DISTINCT FROM ')
    .replace(/\bIS\s+\u0002/gi, 'IS NOT DISTINCT FROM ')
    .replace(/\bINDEXED\s+BY\s+\w+/gi, '')
    .replace(/\bNOT\s+INDEXED\b/gi, '')
    // SQLite allows ON after CROSS JOIN (a hint to keep the join order); PostgreSQL wants an inner join.
    .replace(/\bCROSS\s+JOIN(\s+\w+(?:\s+(?!ON\b)\w+)?\s+ON\b)/gi, 'JOIN$1')
    // SQLite's LIKE ignores ASCII case; ILIKE is PostgreSQL's nearest.
    .replace(/\bNOT\s+LIKE\b/gi, 'NOT ILIKE')
    .replace(/(?<!NOT\s+)\bLIKE\b/gi, 'ILIKE')
    .replace(/\bchar\s*\(/gi, 'chr(')
    // SQLite's substr takes a negative length (the characters before); PostgreSQL's refuses it (pg/001).
    .replace(/\bsubstr\s*\(/gi, 'sqlite_substr(');
}

/** SQLite's scalar max(a, b) / min(a, b) (two or more arguments) are PostgreSQL's greatest / least. */
function scalarMinMax(sql: string): string {
  const re = /\b(max|min)\s*\(/gi;
  let result = '';
  let last = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (inQuotes(sql, m.index)) continue;
    const open = m.index + m[0].length - 1;
    if (topLevelCommas(sql, open) > 0) {
      result += sql.slice(last, m.index) + (m[1]!.toLowerCase() === 'max' ? 'greatest' : 'least');
      last = open;
    }
  }
  return result + sql.slice(last);
}

function inQuotes(sql: string, at: number): boolean {
  let quote: string | null = null;
  for (let i = 0; i < at; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
  }
  return quote !== null;
}

function topLevelCommas(sql: string, open: number): number {
  let depth = 0;
  let commas = 0;
  let quote: string | null = null;
  for (let i = open; i < sql.length; i++) {
    const c = sql[i]!;
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return commas;
    } else if (c === ',' && depth === 1) commas++;
  }
  return commas;
}
