/**
 * What every statement module works with: the connection, a cache of
 * compiled statements and the store's clock.
 */
import type Database from 'better-sqlite3';
import type { Dialect } from '../dialect.js';
import { MovedTasks } from '../store-operations.js';
import { asStoreError } from './store-errors.js';

/** SQLite's SQL: times are the store's clock in epoch ms, bound as @now; JSON is text. */
export const SQLITE_DIALECT: Dialect = {
  now: '@now',
  afterSeconds: (seconds) => `(@now + (${seconds}) * 1000)`,
  msAhead: (param) => `(@now + ${param})`,
  msAgo: (param) => `(@now - ${param})`,
  epochMs: (expression) => expression,
  json: (param) => param,
  utcDayStart: (daysBack) => `(@now - @now % 86400000 - ${daysBack} * 86400000)`,
  utcDay: (column) => `strftime('%Y-%m-%d', ${column} / 1000, 'unixepoch')`,
  jsonInteger: (column, key) => `json_extract(${column}, '$.${key}')`,
};

export class SqliteContext {
  private readonly statements = new Map<string, Database.Statement>();
  /** Dependents moved by the last writes, for the store to announce. */
  readonly moved = new MovedTasks();

  constructor(
    readonly db: Database.Database,
    /** Epoch milliseconds; every time the store writes comes from here, never from a caller. */
    readonly now: () => number,
  ) {}

  /** Compiles `sql` once per connection; later calls with the same text reuse it. */
  statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /**
   * Runs `fn` inside BEGIN IMMEDIATE. Taking the write lock up front matters
   * in WAL mode: a deferred transaction that reads and then writes fails with
   * SQLITE_BUSY (without waiting for busy_timeout) when another process
   * committed in between, while an immediate one simply waits for the lock.
   * `fn` must be synchronous: nothing may await while the lock is held.
   */
  immediate<T>(fn: () => T): T {
    return this.writing(() => this.db.transaction(fn).immediate());
  }

  /**
   * Runs `fn` with synchronous=NORMAL: its commit skips the fsync, so a power
   * loss (not a process crash) may undo it, until the next commit made with
   * FULL syncs the log it is in. For writes that are worth nothing after a
   * power loss, since every agent died with the machine: a claim (the task is
   * simply pending again), progress, log lines, spawn records, heartbeats.
   * Under load an fsync here took 3 to 5 ms of the event loop, per write.
   */
  relaxed<T>(fn: () => T): T {
    return this.writing(() => {
      this.statement('PRAGMA synchronous = NORMAL').run();
      try {
        return fn();
      } finally {
        this.statement('PRAGMA synchronous = FULL').run();
      }
    });
  }

  /**
   * Runs a write, turning SQLite's "database or disk is full" into the typed
   * error that names the file: the transaction rolled back, nothing was
   * stored, and the same write succeeds once there is room again.
   */
  private writing<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw asStoreError(error, this.db.name);
    }
  }
}
