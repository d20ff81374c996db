// A consistent copy of the live SQLite database through SQLite's online backup API, while the gateway keeps writing.
// The copy runs on a connection of its own, read-only, inside one read transaction: in WAL mode a reader pins a
// snapshot and never blocks writers, so every step copies pages of that same snapshot (without the pinned snapshot,
// a write between two steps by another connection would restart the copy from page one, and a busy console would
// never finish). Between steps the event loop runs, so in-process writers are not held up either.
import { existsSync } from 'node:fs';
import sqlite3 from 'sqlite3';

/** node-sqlite3's Backup object (its bundled typings leave it out). */
interface SqliteBackup {
  step(pages: number, callback: (err: Error | null) => void): void;
  finish(callback?: (err: Error | null) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly remaining: number;
  readonly pageCount: number;
}

export interface OnlineCopyOptions {
  /** Pages per step (4 KiB each): small enough to yield to the event loop often. */
  pagesPerStep?: number;
  /** Called after each step with the pages left; tests write through the gateway here to show it stays writable. */
  onStep?: (progress: { remaining: number; pageCount: number }) => void | Promise<void>;
}

function call<T = void>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value as T))));
}

/** Copies `source` (the live database file) to `target`, which must not exist. Returns the page count copied. */
export async function onlineCopy(source: string, target: string, options: OnlineCopyOptions = {}): Promise<{ pages: number }> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already`);
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened = new sqlite3.Database(source, sqlite3.OPEN_READONLY, (err) => (err ? reject(err) : resolve(opened)));
  });
  try {
    await call((cb) => db.exec('PRAGMA busy_timeout = 5000', cb));
    // BEGIN is deferred: the SELECT is what starts the read transaction and pins the snapshot.
    await call((cb) => db.exec('BEGIN', cb));
    await call((cb) => db.get('SELECT count(*) FROM sqlite_schema', cb));
    const backup = await new Promise<SqliteBackup>((resolve, reject) => {
      const b = (db as unknown as { backup(file: string, cb: (err: Error | null) => void): SqliteBackup }).backup(target, (err) =>
        err ? reject(err) : resolve(b),
      );
    });
    try {
      const pages = options.pagesPerStep ?? 1024;
      while (!backup.completed && !backup.failed) {
        await call((cb) => backup.step(pages, cb));
        await options.onStep?.({ remaining: backup.remaining, pageCount: backup.pageCount });
      }
      if (backup.failed) throw new Error('SQLite backup failed');
      return { pages: backup.pageCount };
    } finally {
      await call((cb) => backup.finish(cb)).catch(() => undefined);
    }
  } finally {
    await call((cb) => db.exec('COMMIT', cb)).catch(() => undefined);
    await call((cb) => db.close(cb));
  }
}
