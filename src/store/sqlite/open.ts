/** Opens the database file with the settings every connection needs. */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * How long a statement waits for another process's write lock before failing
 * with SQLITE_BUSY. Writes here are single short transactions (well under a
 * millisecond without the fsync), so 5 s only runs out when something is
 * stuck.
 */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * The driver's compiled addon where its install puts it. Named, it spares
 * the driver its search (the `bindings` package probes a dozen build
 * directories: ~10 ms of a server's start); null (an unusual build): search.
 */
const NATIVE_BINDING: string | null = (() => {
  const driverDirectory = dirname(dirname(createRequire(import.meta.url).resolve('better-sqlite3')));
  const addon = join(driverDirectory, 'build', 'Release', 'better_sqlite3.node');
  return existsSync(addon) ? addon : null;
})();

export function openDatabase(path: string): Database.Database {
  // The database holds prompts and results: keep the directory private to its owner.
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS, ...(NATIVE_BINDING ? { nativeBinding: NATIVE_BINDING } : {}) });
  try {
    // busy_timeout first: switching a new file to WAL needs a lock another process may hold.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL lets readers (CLI, REST reads) run while a runner writes.
    switchToWal(db);
    // better-sqlite3 leaves WAL at synchronous=NORMAL, where a power loss can undo
    // the last commits; a submitted task or a reported outcome must stay written.
    // Writes that are worthless after a power loss opt out (SqliteContext.relaxed).
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Processes that open a new file at the same moment all switch it to WAL,
 * and SQLite can answer that pragma with SQLITE_BUSY at once instead of
 * waiting on busy_timeout (a lock upgrade it refuses so as not to deadlock
 * with another opener). The three-process claim test hit it under the load
 * of the whole suite. The loser only has to try again: the mode is stored in
 * the file, so the retry usually finds WAL already set.
 */
function switchToWal(db: Database.Database): void {
  const giveUpAt = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= giveUpAt) throw error;
      // Opening is synchronous, so the pause is too: a few milliseconds, with jitter so racers part.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5 + Math.random() * 20);
    }
  }
}
