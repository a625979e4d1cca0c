/**
 * The TaskStore on one SQLite file: this database's statements, run
 * synchronously by better-sqlite3 on one connection, under the one store
 * class. Other processes on the same file are seen by polling.
 */
import type Database from 'better-sqlite3';
import { DatabaseTaskStore, type StoreDatabase } from '../database-task-store.js';
import type { StoreOperations } from '../store-operations.js';
import { abandon } from './abandon.js';
import { requestCancel } from './cancel.js';
import { cancelOrchestration } from './cancel-orchestration.js';
import { claimMany } from './claim.js';
import { SqliteContext } from './context.js';
import { enqueue } from './enqueue.js';
import { heartbeat } from './heartbeat.js';
import { appendLog, readLog } from './log-lines.js';
import { migrate } from './migrations.js';
import { openDatabase } from './open.js';
import { asStoreError } from './store-errors.js';
import { recordProgress, recordSpawn } from './progress.js';
import { prune } from './prune.js';
import { countByStatus, getTask, listTasks, runningAttemptsOnHost } from './read.js';
import { dependencyResults, getOrchestration, listOrchestrations } from './read-orchestration.js';
import { reapExpired } from './reap.js';
import { complete, fail, markCancelled, release } from './settle.js';
import { submitOrchestration } from './submit-orchestration.js';
import { listWorkers, registerWorker, setWorkerState, workerHeartbeat } from './workers.js';

const SQLITE_OPERATIONS: StoreOperations<SqliteContext> = {
  ...{ enqueue, claimMany, recordSpawn, recordProgress, appendLog, heartbeat },
  ...{ complete, fail, release, markCancelled, abandon, requestCancel, reapExpired },
  ...{ runningAttemptsOnHost, getTask, readLog, listTasks, countByStatus, prune },
  ...{ submitOrchestration, getOrchestration, listOrchestrations, cancelOrchestration, dependencyResults },
  ...{ registerWorker, workerHeartbeat, setWorkerState, listWorkers },
};

export interface SqliteStoreOptions {
  /** Epoch milliseconds; default `Date.now`. Tests inject a clock they move by hand. */
  clock?: () => number;
}

export type SqliteTaskStore = DatabaseTaskStore<SqliteContext, SqliteDatabase>;

/** Opens (creating and migrating as needed) the database at `path`; its directory is created with mode 0700. */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteTaskStore> {
  let db: Database.Database;
  try {
    db = openDatabase(path);
  } catch (error) {
    throw asStoreError(error, path);
  }
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw asStoreError(error, path);
  }
  return new DatabaseTaskStore(new SqliteDatabase(new SqliteContext(db, options.clock ?? Date.now)));
}

export class SqliteDatabase implements StoreDatabase<SqliteContext> {
  readonly operations = SQLITE_OPERATIONS;

  constructor(readonly ctx: SqliteContext) {}

  takeMoved() {
    return this.ctx.moved.take();
  }

  /** No process on another connection can wake this one: the caller's own wait is the poll. */
  pollIntervalMs(maxWaitMs: number): number {
    return maxWaitMs;
  }

  async close(): Promise<void> {
    this.ctx.db.close();
  }
}
