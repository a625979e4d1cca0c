/**
 * What each database brings to the one TaskStore class: its statements, one
 * function per operation, called with the database's own context (a SQLite
 * connection with its clock, or a PostgreSQL pool). SQLite's run
 * synchronously and PostgreSQL's return promises; the store awaits both.
 * Everything the two share (change signals, what a write announces) lives
 * in DatabaseTaskStore, so a new operation is one statement module per
 * database and one method there.
 */
import type { Labels } from '../core/labels.js';
import type { RunStats, TaskStatus } from '../core/task.js';
import type { DependencyResult, OrchestrationGraph, OrchestrationRecord, OrchestrationSpec } from './orchestration-records.js';
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
  LogLine,
  LogRange,
  RetentionPolicy,
  RunningAttempt,
  TaskLogLine,
  TaskProgress,
  TaskRecord,
  WorkerIdentity,
} from './task-store.js';
import type { WorkerRecord, WorkerRegistration } from './worker-records.js';

type Awaitable<T> = T | Promise<T>;

/** A task that a write moved, for the store to announce. */
export interface MovedTask {
  taskId: number;
  status: TaskStatus;
}

/**
 * Tasks a transaction moved besides the one it was about (dependents
 * promoted or skipped), for the store to announce to listeners in this
 * process. A hint only: a rolled-back move announces a task that did not
 * change, and listeners simply read it again.
 */
export class MovedTasks {
  private moved: MovedTask[] = [];

  note(taskIds: readonly number[], status: TaskStatus): void {
    for (const taskId of taskIds) this.moved.push({ taskId, status });
  }

  take(): MovedTask[] {
    const moved = this.moved;
    this.moved = [];
    return moved;
  }
}

/**
 * The ending writes return the status the task moved to, or null when the
 * lease no longer owned it (nothing was written).
 */
export interface StoreOperations<C> {
  enqueue(ctx: C, spec: EnqueueSpec): Awaitable<EnqueueResult>;
  claimMany(ctx: C, worker: WorkerIdentity, leaseMs: number, limit: number, labels: Labels): Awaitable<ClaimedTask[]>;
  recordSpawn(ctx: C, lease: Lease, agent: AgentProcessInfo): Awaitable<boolean>;
  recordProgress(ctx: C, lease: Lease, progress: TaskProgress): Awaitable<boolean>;
  appendLog(ctx: C, lines: readonly TaskLogLine[]): Awaitable<void>;
  heartbeat(ctx: C, leases: readonly Lease[], leaseMs: number): Awaitable<HeartbeatResult[]>;
  complete(ctx: C, lease: Lease, result: CompletedResult): Awaitable<TaskStatus | null>;
  fail(ctx: C, lease: Lease, failure: FailureRecord, retryDelayMs: number | null): Awaitable<TaskStatus | null>;
  release(ctx: C, lease: Lease): Awaitable<TaskStatus | null>;
  markCancelled(ctx: C, lease: Lease, stats?: Partial<RunStats>): Awaitable<TaskStatus | null>;
  abandon(ctx: C, lease: Lease, reason: string, retryDelayMs: number): Awaitable<TaskStatus | null>;
  requestCancel(ctx: C, taskId: number): Awaitable<{ task: TaskRecord; outcome: CancelOutcome } | null>;
  reapExpired(ctx: C, retryDelayMs: number): Awaitable<MovedTask[]>;
  runningAttemptsOnHost(ctx: C, host: string): Awaitable<RunningAttempt[]>;
  getTask(ctx: C, taskId: number): Awaitable<TaskRecord | null>;
  readLog(ctx: C, taskId: number, range: LogRange): Awaitable<LogLine[]>;
  listTasks(ctx: C, filter: ListFilter): Awaitable<TaskRecord[]>;
  countByStatus(ctx: C): Awaitable<Record<TaskStatus, number>>;
  submitOrchestration(ctx: C, spec: OrchestrationSpec): Awaitable<{ id: number; deduplicated: boolean }>;
  getOrchestration(ctx: C, orchestrationId: number): Awaitable<OrchestrationGraph | null>;
  listOrchestrations(ctx: C, filter: { beforeId?: number; limit: number }): Awaitable<OrchestrationRecord[]>;
  /** The running tasks it flagged for their runners to stop, or null when there is no such orchestration. */
  cancelOrchestration(ctx: C, orchestrationId: number): Awaitable<number[] | null>;
  dependencyResults(ctx: C, taskId: number): Awaitable<DependencyResult[]>;
  prune(ctx: C, policy: RetentionPolicy, batchSize: number): Awaitable<number>;
  registerWorker(ctx: C, worker: WorkerRegistration): Awaitable<void>;
  workerHeartbeat(ctx: C, workerId: string): Awaitable<boolean>;
  setWorkerState(ctx: C, workerId: string, state: 'draining' | 'stopped'): Awaitable<boolean>;
  listWorkers(ctx: C): Awaitable<WorkerRecord[]>;
}
