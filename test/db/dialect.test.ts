// The mechanical SQLite → PostgreSQL rewrites (server/db/dialect.ts), as text: each rule once, and what it must
// leave alone (string literals, keywords, one-argument max/min).
import { describe, expect, it } from 'vitest';
import { bindValues, toPostgres, withReturning } from '../../server/db/dialect';

const pg = (sql: string) => toPostgres(sql).text;

describe('SQLite to PostgreSQL dialect', () => {
  it('numbers placeholders, positional and named (a repeated name is one parameter)', () => {
    expect(pg('SELECT * FROM t WHERE a = ? AND b = ?')).toBe('SELECT * FROM t WHERE a = $1 AND b = $2');
    const named = toPostgres('SELECT * FROM t WHERE p >= :p AND q < :to AND r = :p');
    expect(named.text).toBe('SELECT * FROM t WHERE p >= $1 AND q < $2 AND r = $1');
    expect(bindValues(named, { ':p': 'a', to: 'b' })).toEqual(['a', 'b']);
    expect(() => bindValues(named, { ':p': 'a' })).toThrow(/:to/);
  });

  it('leaves string literals and PostgreSQL casts alone', () => {
    expect(pg("SELECT 'a ? b :c', x FROM t WHERE y LIKE '%?%' ESCAPE '\\'")).toBe("SELECT 'a ? b :c', x FROM t WHERE y ILIKE '%?%' ESCAPE '\\'");
    expect(pg("SELECT 'it''s ?' || ?")).toBe("SELECT 'it''s ?' || $1");
  });

  it('rewrites IS ?, bare ? IS NULL, INSERT OR IGNORE and the SQLite-only hints', () => {
    expect(pg('SELECT * FROM u WHERE parent_id IS ? AND x IS NOT ?')).toBe('SELECT * FROM u WHERE parent_id IS NOT DISTINCT FROM $1 AND x IS DISTINCT FROM $2');
    expect(pg('UPDATE d SET s = CASE WHEN ? IS NULL THEN s ELSE 1 END')).toBe('UPDATE d SET s = CASE WHEN $1::text IS NULL THEN s ELSE 1 END');
    expect(pg('INSERT OR IGNORE INTO r (a) VALUES (?)')).toBe('INSERT INTO r (a) VALUES ($1) ON CONFLICT DO NOTHING');
    expect(pg('SELECT 1 FROM cameras c INDEXED BY cameras_map WHERE 1')).toBe('SELECT 1 FROM cameras c  WHERE 1');
    expect(pg('SELECT 1 FROM r CROSS JOIN cameras c ON c.id = r.id')).toBe('SELECT 1 FROM r JOIN cameras c ON c.id = r.id');
    expect(pg("SELECT note || char(10) || ? FROM t")).toBe('SELECT note || chr(10) || $1 FROM t');
    expect(pg('SELECT substr(p, 1, instr(p, ?) - 1) FROM t')).toBe('SELECT sqlite_substr(p, 1, instr(p, $1) - 1) FROM t');
  });

  it('turns scalar max/min into greatest/least, keeps the aggregates', () => {
    expect(pg('SELECT max(id), min(a, max(b, ?)), sum(max(0, x)) FROM t')).toBe('SELECT max(id), least(a, greatest(b, $1)), sum(greatest(0, x)) FROM t');
    expect(pg("SELECT max(coalesce((SELECT max(id) FROM t), 0), 1)")).toBe('SELECT greatest(coalesce((SELECT max(id) FROM t), 0), 1)');
  });

  it('quotes camelCase aliases and their uses, and nothing else', () => {
    expect(pg('SELECT c.org_path AS orgPath, x.childPath FROM cameras c GROUP BY childPath ORDER BY c.name'))
      .toBe('SELECT c.org_path AS "orgPath", x."childPath" FROM cameras c GROUP BY "childPath" ORDER BY c.name');
  });

  it('asks an INSERT run for its row back (lastID), unless it already says RETURNING', () => {
    expect(withReturning(toPostgres('INSERT INTO events (at) VALUES (?)'))).toBe('INSERT INTO events (at) VALUES ($1) RETURNING *');
    expect(withReturning(toPostgres('INSERT INTO t (a) VALUES (?) RETURNING a'))).toBe('INSERT INTO t (a) VALUES ($1) RETURNING a');
    expect(withReturning(toPostgres('UPDATE t SET a = ?'))).toBe('UPDATE t SET a = $1');
    expect(() => toPostgres('INSERT OR REPLACE INTO t VALUES (1)')).toThrow(/ON CONFLICT/);
  });
});
