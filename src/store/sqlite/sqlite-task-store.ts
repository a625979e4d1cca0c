/**
 * TaskStore on an embedded SQLite file (better-sqlite3). Each operation lives
 * in its own module; this class wires them to one connection, one clock and
 * the in-process wake-up signals.
 */
import type Database from 'better-sqlite3';
import type { RunStats, TaskStatus } from '../../core/task.js';
import type {
  AgentProcessInfo,
  CancelOutcome,
  ClaimedTask,
  CompletedResult,
  EnqueueResult,
  EnqueueSpec,
  FailureRecord,
  HeartbeatResult,
  Lease,
  ListFilter,
  RetentionPolicy,
  RunningAttempt,
  TaskProgress,
  TaskRecord,
  TaskStore,
  WorkerIdentity,
} from '../task-store.js';
import { claimOperation } from './claim.js';
import { enqueueOperation } from './enqueue.js';
import { leaseWriteOperations } from './lease-writes.js';
import { openDatabase } from './open.js';
import { pruneOperation } from './prune.js';
import { readOperations } from './read.js';
import { settleOperations } from './settle.js';
import { StoreSignals } from './signals.js';

export interface SqliteStoreOptions {
  /** Milliseconds since the epoch; injected by tests to travel in time. */
  clock?: () => number;
}

export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<SqliteTaskStore> {
  return new SqliteTaskStore(openDatabase(path), options.clock ?? Date.now);
}

export class SqliteTaskStore implements TaskStore {
  private readonly signals = new StoreSignals();
  private readonly ops: {
    enqueue: ReturnType<typeof enqueueOperation>;
    claim: ReturnType<typeof claimOperation>;
    lease: ReturnType<typeof leaseWriteOperations>;
    settle: ReturnType<typeof settleOperations>;
    read: ReturnType<typeof readOperations>;
    prune: ReturnType<typeof pruneOperation>;
  };

  constructor(
    readonly db: Database.Database,
    private readonly clock: () => number,
  ) {
    this.ops = {
      enqueue: enqueueOperation(db),
      claim: claimOperation(db),
      lease: leaseWriteOperations(db),
      settle: settleOperations(db),
      read: readOperations(db),
      prune: pruneOperation(db),
    };
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    const result = this.ops.enqueue(spec, this.clock());
    if (!result.deduplicated) {
      this.signals.taskChanged(result.task.id);
      this.signals.workAvailable();
    }
    return result;
  }

  async claim(worker: WorkerIdentity, leaseMs: number): Promise<ClaimedTask | null> {
    const claimed = this.ops.claim(worker, leaseMs, this.clock());
    if (claimed) this.signals.taskChanged(claimed.task.id);
    return claimed;
  }

  async recordSpawn(lease: Lease, agent: AgentProcessInfo): Promise<boolean> {
    return this.ops.lease.recordSpawn(lease, agent);
  }

  async recordProgress(lease: Lease, progress: TaskProgress): Promise<boolean> {
    return this.changed(lease.taskId, this.ops.lease.recordProgress(lease, progress));
  }

  async heartbeat(leases: readonly Lease[], leaseMs: number): Promise<HeartbeatResult[]> {
    return this.ops.lease.heartbeat(leases, leaseMs, this.clock());
  }

  async complete(lease: Lease, result: CompletedResult): Promise<boolean> {
    return this.changed(lease.taskId, this.ops.settle.complete(lease, result, this.clock()));
  }

  async fail(lease: Lease, failure: FailureRecord, retryDelayMs: number | null): Promise<boolean> {
    const { owned, retrying } = this.ops.settle.fail(lease, failure, retryDelayMs, this.clock());
    if (retrying) this.signals.workAvailable();
    return this.changed(lease.taskId, owned);
  }

  async release(lease: Lease): Promise<boolean> {
    const released = this.ops.settle.release(lease, this.clock());
    if (released) this.signals.workAvailable();
    return this.changed(lease.taskId, released);
  }

  async markCancelled(lease: Lease, stats: Partial<RunStats> = {}): Promise<boolean> {
    return this.changed(lease.taskId, this.ops.settle.markCancelled(lease, stats, this.clock()));
  }

  async requestCancel(taskId: number): Promise<{ task: TaskRecord; outcome: CancelOutcome } | null> {
    const result = this.ops.settle.requestCancel(taskId, this.clock());
    if (result?.outcome === 'cancel_requested') this.signals.cancelRequested(taskId);
    if (result && result.outcome !== 'already_ended') this.signals.taskChanged(taskId);
    return result;
  }

  async abandon(lease: Lease, reason: string, retryDelayMs: number): Promise<boolean> {
    const abandoned = this.ops.settle.abandon(lease, reason, retryDelayMs, this.clock());
    if (abandoned) this.signals.workAvailable();
    return this.changed(lease.taskId, abandoned);
  }

  async reapExpired(retryDelayMs: number): Promise<number[]> {
    const reaped = this.ops.settle.reapExpired(retryDelayMs, this.clock());
    for (const id of reaped) this.signals.taskChanged(id);
    if (reaped.length > 0) this.signals.workAvailable();
    return reaped;
  }

  async runningAttemptsOnHost(host: string): Promise<RunningAttempt[]> {
    return this.ops.read.runningAttemptsOnHost(host);
  }

  async get(taskId: number): Promise<TaskRecord | null> {
    return this.ops.read.get(taskId);
  }

  async list(filter: ListFilter): Promise<TaskRecord[]> {
    return this.ops.read.list(filter);
  }

  async countByStatus(): Promise<Record<TaskStatus, number>> {
    return this.ops.read.countByStatus();
  }

  async prune(policy: RetentionPolicy, batchSize: number): Promise<number> {
    return this.ops.prune(policy, batchSize, this.clock());
  }

  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void> {
    return this.signals.waitForWork(signal, maxWaitMs);
  }

  onCancelRequested(listener: (taskId: number) => void): () => void {
    return this.signals.onCancelRequested(listener);
  }

  onTaskChanged(listener: (taskId: number) => void): () => void {
    return this.signals.onTaskChanged(listener);
  }

  async close(): Promise<void> {
    this.db.close();
  }

  private changed(taskId: number, applied: boolean): boolean {
    if (applied) this.signals.taskChanged(taskId);
    return applied;
  }
}
