/**
 * The TaskStore on one SQLite file. The statement modules next to this one
 * do the work synchronously (better-sqlite3); this class wires them to the
 * async interface and announces what changed to listeners in this process.
 */
import type Database from 'better-sqlite3';
import type { Labels } from '../../core/labels.js';
import type { RunStats, TaskStatus } from '../../core/task.js';
import type { AgentProcessInfo, CancelOutcome, ClaimedTask, CompletedResult, EnqueueResult, EnqueueSpec, FailureRecord, HeartbeatResult, Lease, ListFilter, LogLine, LogRange, TaskLogLine, RetentionPolicy, RunningAttempt, TaskProgress, TaskRecord, TaskStore, WorkerIdentity } from '../task-store.js';
import type { WorkerRecord, WorkerRegistration } from '../worker-records.js';
import type { DependencyResult, OrchestrationGraph, OrchestrationRecord, OrchestrationSpec, SubmitOrchestrationResult } from '../orchestration-records.js';
import { abandon } from './abandon.js';
import { requestCancel } from './cancel.js';
import { cancelOrchestration } from './cancel-orchestration.js';
import { claimMany } from './claim.js';
import { SqliteContext } from './context.js';
import { enqueue } from './enqueue.js';
import { heartbeat } from './heartbeat.js';
import { migrate } from './migrations.js';
import { openDatabase } from './open.js';
import { appendLog, readLog } from './log-lines.js';
import { recordProgress, recordSpawn } from './progress.js';
import { prune } from './prune.js';
import { countByStatus, getTask, listTasks, runningAttemptsOnHost } from './read.js';
import { dependencyResults, getOrchestration, listOrchestrations } from './read-orchestration.js';
import { reapExpired } from './reap.js';
import { toTaskRecord } from './row.js';
import { complete, fail, markCancelled, release } from './settle.js';
import { StoreSignals } from './signals.js';
import { asStoreError } from './store-errors.js';
import { submitOrchestration } from './submit-orchestration.js';
import { listWorkers, registerWorker, setWorkerState, workerHeartbeat } from './workers.js';

export interface SqliteStoreOptions {
  /** Epoch milliseconds; default `Date.now`. Tests inject a clock they move by hand. */
  clock?: () => number;
}

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
  return new SqliteTaskStore(db, options.clock ?? Date.now);
}

export class SqliteTaskStore implements TaskStore {
  private readonly ctx: SqliteContext;
  private readonly signals = new StoreSignals();

  /** `db` must be open and migrated; `openSqliteStore` does both. */
  constructor(db: Database.Database, clock: () => number) {
    this.ctx = new SqliteContext(db, clock);
  }

  async enqueue(spec: EnqueueSpec): Promise<EnqueueResult> {
    const { row, deduplicated } = enqueue(this.ctx, spec);
    if (!deduplicated) this.announce(row.id, 'pending');
    return { task: toTaskRecord(row), deduplicated };
  }

  async claim(worker: WorkerIdentity, leaseMs: number, labels: Labels = {}): Promise<ClaimedTask | null> {
    return (await this.claimMany(worker, leaseMs, 1, labels))[0] ?? null;
  }

  async claimMany(worker: WorkerIdentity, leaseMs: number, limit: number, labels: Labels = {}): Promise<ClaimedTask[]> {
    const claimed = claimMany(this.ctx, worker, leaseMs, limit, labels);
    for (const { task } of claimed) this.announce(task.id, 'running');
    return claimed;
  }

  async recordSpawn(lease: Lease, agent: AgentProcessInfo): Promise<boolean> {
    return recordSpawn(this.ctx, lease, agent);
  }

  async recordProgress(lease: Lease, progress: TaskProgress): Promise<boolean> {
    const owned = recordProgress(this.ctx, lease, progress);
    if (owned) this.signals.taskChanged(lease.taskId);
    return owned;
  }

  async appendLog(lines: readonly TaskLogLine[]): Promise<void> {
    if (lines.length === 0) return;
    appendLog(this.ctx, lines);
    // Followers of the logs wake up as they do for any change of their task.
    for (const taskId of new Set(lines.map((line) => line.taskId))) this.signals.taskChanged(taskId);
  }

  async heartbeat(leases: readonly Lease[], leaseMs: number): Promise<HeartbeatResult[]> {
    return heartbeat(this.ctx, leases, leaseMs);
  }

  async complete(lease: Lease, result: CompletedResult): Promise<boolean> {
    return this.announce(lease.taskId, complete(this.ctx, lease, result));
  }

  async fail(lease: Lease, failure: FailureRecord, retryDelayMs: number | null): Promise<boolean> {
    return this.announce(lease.taskId, fail(this.ctx, lease, failure, retryDelayMs));
  }

  async release(lease: Lease): Promise<boolean> {
    return this.announce(lease.taskId, release(this.ctx, lease));
  }

  async markCancelled(lease: Lease, stats?: Partial<RunStats>): Promise<boolean> {
    return this.announce(lease.taskId, markCancelled(this.ctx, lease, stats));
  }

  async requestCancel(taskId: number): Promise<{ task: TaskRecord; outcome: CancelOutcome } | null> {
    const result = requestCancel(this.ctx, taskId);
    this.announceMoved();
    if (!result) return null;
    if (result.outcome !== 'already_ended') this.signals.taskChanged(taskId);
    if (result.outcome === 'cancel_requested') this.signals.cancelRequested(taskId);
    return { task: toTaskRecord(result.row), outcome: result.outcome };
  }

  async submitOrchestration(spec: OrchestrationSpec): Promise<SubmitOrchestrationResult> {
    const { id, deduplicated } = submitOrchestration(this.ctx, spec);
    const graph = getOrchestration(this.ctx, id)!;
    if (!deduplicated) this.signals.tasksMoved(graph.tasks.map((task) => ({ taskId: task.id, status: task.status })));
    return { ...graph, deduplicated };
  }

  async getOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null> {
    return getOrchestration(this.ctx, orchestrationId);
  }

  async listOrchestrations(filter: { beforeId?: number; limit: number }): Promise<OrchestrationRecord[]> {
    return listOrchestrations(this.ctx, filter);
  }

  async cancelOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null> {
    const stopping = cancelOrchestration(this.ctx, orchestrationId);
    this.announceMoved();
    if (stopping === null) return null;
    for (const taskId of stopping) this.signals.cancelRequested(taskId);
    return getOrchestration(this.ctx, orchestrationId);
  }

  async dependencyResults(taskId: number): Promise<DependencyResult[]> {
    return dependencyResults(this.ctx, taskId);
  }

  async abandon(lease: Lease, reason: string, retryDelayMs: number): Promise<boolean> {
    return this.announce(lease.taskId, abandon(this.ctx, lease, reason, retryDelayMs));
  }

  async reapExpired(retryDelayMs: number): Promise<number[]> {
    const reaped = reapExpired(this.ctx, retryDelayMs);
    for (const { taskId, status } of reaped) this.announce(taskId, status);
    return reaped.map(({ taskId }) => taskId);
  }

  async runningAttemptsOnHost(host: string): Promise<RunningAttempt[]> {
    return runningAttemptsOnHost(this.ctx, host);
  }

  async get(taskId: number): Promise<TaskRecord | null> {
    const row = getTask(this.ctx, taskId);
    return row ? toTaskRecord(row) : null;
  }

  async readLog(taskId: number, range: LogRange): Promise<LogLine[]> {
    return readLog(this.ctx, taskId, range);
  }

  async list(filter: ListFilter): Promise<TaskRecord[]> {
    return listTasks(this.ctx, filter).map(toTaskRecord);
  }

  async countByStatus(): Promise<Record<TaskStatus, number>> {
    return countByStatus(this.ctx);
  }

  async prune(policy: RetentionPolicy, batchSize: number): Promise<number> {
    return prune(this.ctx, policy, batchSize);
  }

  async registerWorker(worker: WorkerRegistration): Promise<void> {
    registerWorker(this.ctx, worker);
  }

  async workerHeartbeat(workerId: string): Promise<boolean> {
    return workerHeartbeat(this.ctx, workerId);
  }

  async setWorkerState(workerId: string, state: 'draining' | 'stopped'): Promise<boolean> {
    return setWorkerState(this.ctx, workerId, state);
  }

  async listWorkers(): Promise<WorkerRecord[]> {
    return listWorkers(this.ctx);
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
    this.ctx.db.close();
  }

  /**
   * Tells listeners that a task moved to `status` (null: nothing changed, the
   * lease was not the owner) and wakes idle claimers when it is queued again.
   * Returns whether anything changed.
   */
  private announce(taskId: number, status: TaskStatus | null): boolean {
    this.announceMoved();
    if (status === null) return false;
    this.signals.taskMoved(taskId, status);
    return true;
  }

  /** The tasks of a graph that moved on because another task ended or was cancelled. */
  private announceMoved(): void {
    this.signals.tasksMoved(this.ctx.moved.take());
  }
}
