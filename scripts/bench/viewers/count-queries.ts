// Optional preload for the gateway (bench:viewers --db-queries): counts SQL statements by their first words, so a
// phase can say how many queries per second its requests cost. Wraps sqlite3's Database methods (the app's only
// way to the database); on SIGUSR2 it writes the running totals as one JSON line on stderr. Diagnostic only.
import sqlite3 from 'sqlite3';

const counts = new Map<string, number>();
const proto = sqlite3.Database.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const method of ['run', 'get', 'all', 'exec', 'prepare'] as const) {
  const original = proto[method]!;
  proto[method] = function (this: unknown, sql: unknown, ...rest: unknown[]) {
    const key = `${method} ${String(sql).replace(/\s+/g, ' ').trim().slice(0, 90)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
    return original.call(this, sql, ...rest);
  };
}
process.on('SIGUSR2', () => {
  process.stderr.write(JSON.stringify({ benchDbQueries: Object.fromEntries(counts), at: Date.now() }) + '\n');
});
