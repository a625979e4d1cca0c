/**
 * The TaskStore on a PostgreSQL database shared by any number of nodes: this
 * database's statements, each one statement or one short transaction on a
 * pooled connection, under the one store class. Changes reach other
 * processes through NOTIFY, sent in the same transaction as the write, and
 * this process hears theirs on a listening connection of its own.
 */
import { randomUUID } from 'node:crypto';
import { DatabaseTaskStore, type StoreDatabase } from '../database-task-store.js';
import type { StoreOperations } from '../store-operations.js';
import * as operations from './operations.js';
import { StoreSignals } from '../store-signals.js';
import { NotificationListener } from './listener.js';
import { migrate } from './migrations.js';
import { createPool, PostgresContext } from './pool.js';

// The statement modules, each one operation's SQL: the interface checks that none is missing.
const POSTGRES_OPERATIONS: StoreOperations<PostgresContext> = operations;

export interface PostgresStoreOptions {
  /** Pooled connections at most; default 10. The listener uses one more. */
  poolSize?: number;
  /**
   * Told about connection trouble the store rides out by itself (a dropped
   * listener, a broken idle connection); default: a line on stderr.
   */
  warn?: (message: string) => void;
}

/**
 * While the listener is down, hints from other processes are missed: waits
 * for work are cut to this, so their tasks are still picked up within a
 * second.
 */
const POLL_WITHOUT_LISTENER_MS = 1000;

export type PostgresTaskStore = DatabaseTaskStore<PostgresContext, PostgresDatabase>;

/**
 * Connects to `url` (`postgres://` or `postgresql://`), applies the
 * migrations the database has not run yet and starts listening for other
 * processes' hints.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<PostgresTaskStore> {
  const warn = options.warn ?? defaultWarn;
  const pool = createPool(url, { size: options.poolSize ?? 10, warn });
  const ctx = new PostgresContext(pool, randomUUID());
  try {
    await migrate(ctx);
  } catch (error) {
    await pool.end();
    throw error;
  }
  const signals = new StoreSignals();
  const listener = new NotificationListener({
    url,
    origin: ctx.origin,
    onHint: (hint) => (hint.kind === 'work' ? signals.workAvailable() : signals.cancelRequested(hint.taskId)),
    onReconnect: () => signals.workAvailable(),
    warn,
  });
  await listener.start();
  return new DatabaseTaskStore(new PostgresDatabase(ctx, listener), signals);
}

export class PostgresDatabase implements StoreDatabase<PostgresContext> {
  readonly operations = POSTGRES_OPERATIONS;
  /** A write here is a round trip that does not hold the event loop: completions gather while the previous group is in flight. */
  readonly completionGatherMs = 0;

  /** `ctx` must be migrated and `listener` started; `openPostgresStore` does both. */
  constructor(
    readonly ctx: PostgresContext,
    private readonly listener: NotificationListener,
  ) {}

  /** The server process of the connection that listens for hints; null while it is down (and reconnecting). */
  get listenerProcessId(): number | null {
    return this.listener.processId;
  }

  takeMoved() {
    return this.ctx.moved.take();
  }

  /** While the listener is down, other processes' hints are missed: poll often enough to see their tasks. */
  pollIntervalMs(maxWaitMs: number): number {
    return this.listener.listening ? maxWaitMs : Math.min(maxWaitMs, POLL_WITHOUT_LISTENER_MS);
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.ctx.pool.end();
  }
}

function defaultWarn(message: string): void {
  process.stderr.write(`claude-worker store: ${message}\n`);
}
