/**
 * One way to open the task store for a database spec, the value of
 * `CLAUDE_WORKER_DB` or `--db`: a `postgres://` or `postgresql://` URL opens
 * the PostgreSQL store (several nodes share it); anything else is the path
 * of a SQLite file (one host).
 */
import { isPostgresUrl } from '../core/config.js';
import type { TaskStore } from './task-store.js';

export interface OpenStoreOptions {
  /** PostgreSQL: told about connection trouble the store rides out by itself; default a line on stderr. */
  warn?: (message: string) => void;
}

export async function openStore(dbSpec: string, options: OpenStoreOptions = {}): Promise<TaskStore> {
  // Each driver is loaded only for its own kind of database: a SQLite server never needs pg.
  if (isPostgresUrl(dbSpec)) return (await import('./postgres/postgres-database.js')).openPostgresStore(dbSpec, options);
  return (await import('./sqlite/sqlite-database.js')).openSqliteStore(dbSpec);
}
