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
import type * as Outbox from './event-records.js';
import type { RunStats, TaskStatus } from '../core/task.js';
import type {
  DependencyHead,
  DependencyResult,
  OrchestrationGraph,
  OrchestrationRecord,
  OrchestrationSpec,
} from './orchestration-records.js';
import type { BudgetStop } from './sql/budgets.js';
import type { UsageRow } from './usage-records.js';
// One namespace: the operations take the same records as the TaskStore methods they serve.
import type * as Records from './task-store.js';
import type { PauseRequest, QueuePauseRecord } from './task-records.js';
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

/** A run to record as completed: the lease that fences it, and what the agent reported. */
export interface Completion {
  lease: Records.Lease;
  result: Records.CompletedResult;
}

/**
 * A completion that was written. `inGraph`: the task belongs to an
 * orchestration, so its cost counts against that orchestration's budget;
 * a task on its own has none to check.
 */
export interface CompletedRun {
  status: TaskStatus;
  inGraph: boolean;
}

/**
 * The ending writes return the status the task moved to, or null when the
 * lease no longer owned it (nothing was written).
 */
export interface StoreOperations<C> {
  enqueue(ctx: C, spec: Records.EnqueueSpec): Awaitable<Records.EnqueueResult>;
  claimMany(
    ctx: C,
    worker: Records.WorkerIdentity,
    leaseMs: number,
    limit: number,
    labels: Labels,
  ): Awaitable<Records.ClaimedTask[]>;
  recordSpawn(ctx: C, lease: Records.Lease, agent: Records.AgentProcessInfo): Awaitable<boolean>;
  recordProgress(ctx: C, lease: Records.Lease, progress: Records.TaskProgress): Awaitable<boolean>;
  recordWorkspace(ctx: C, lease: Records.Lease, workspace: Records.WorkspaceProgress): Awaitable<boolean>;
  recordMerge(ctx: C, taskId: number, merge: Records.MergeRecord): Awaitable<boolean>;
  appendLog(ctx: C, lines: readonly Records.TaskLogLine[]): Awaitable<void>;
  heartbeat(ctx: C, leases: readonly Records.Lease[], leaseMs: number): Awaitable<Records.HeartbeatResult[]>;
  /**
   * running → completed for every run given, in one transaction where the
   * database allows (group commit); each is fenced by its own lease. One
   * answer per completion, in the same order: null for a lease that no
   * longer owns its task (nothing written for that one; the others go on).
   */
  completeMany(ctx: C, completions: readonly Completion[]): Awaitable<(CompletedRun | null)[]>;
  fail(ctx: C, lease: Records.Lease, failure: Records.FailureRecord, retryDelayMs: number | null): Awaitable<TaskStatus | null>;
  release(ctx: C, lease: Records.Lease): Awaitable<TaskStatus | null>;
  markCancelled(ctx: C, lease: Records.Lease, stats?: Partial<RunStats>): Awaitable<TaskStatus | null>;
  deferForLimit(ctx: C, lease: Records.Lease, limit: Records.LimitRecord): Awaitable<TaskStatus | null>;
  pauseQueue(ctx: C, request: PauseRequest): Awaitable<QueuePauseRecord>;
  resumeQueue(ctx: C): Awaitable<QueuePauseRecord | null>;
  probeGotThrough(ctx: C, taskId: number): Awaitable<boolean>;
  readQueuePause(ctx: C): Awaitable<QueuePauseRecord | null>;
  spentToday(ctx: C): Awaitable<number>;
  abandon(ctx: C, lease: Records.Lease, reason: string, retryDelayMs: number): Awaitable<TaskStatus | null>;
  requestCancel(ctx: C, taskId: number): Awaitable<{ task: Records.TaskRecord; outcome: Records.CancelOutcome } | null>;
  reapExpired(ctx: C, retryDelayMs: number): Awaitable<MovedTask[]>;
  runningAttemptsOnHost(ctx: C, host: string): Awaitable<Records.RunningAttempt[]>;
  getTask(ctx: C, taskId: number): Awaitable<Records.TaskRecord | null>;
  readLog(ctx: C, taskId: number, range: Records.LogRange): Awaitable<Records.LogLine[]>;
  listTasks(ctx: C, filter: Records.ListFilter): Awaitable<Records.TaskRecord[]>;
  listBoardRows(ctx: C, filter: Records.ListFilter): Awaitable<Records.BoardRowRecord[]>;
  countByStatus(ctx: C): Awaitable<Record<TaskStatus, number>>;
  countActive(ctx: C): Awaitable<Records.ActiveCounts>;
  metricsSnapshot(ctx: C): Awaitable<Records.TaskMetricsSnapshot>;
  usage(ctx: C, days: number): Awaitable<UsageRow[]>;
  submitOrchestration(ctx: C, spec: OrchestrationSpec): Awaitable<{ id: number; deduplicated: boolean }>;
  getOrchestration(ctx: C, orchestrationId: number): Awaitable<OrchestrationGraph | null>;
  listOrchestrations(ctx: C, filter: { beforeId?: number; limit: number }): Awaitable<OrchestrationRecord[]>;
  /** The running tasks it flagged for their runners to stop, or null when there is no such orchestration. */
  cancelOrchestration(ctx: C, orchestrationId: number): Awaitable<number[] | null>;
  /**
   * After task `taskId` reported a cost: when its orchestration's tasks have
   * spent its budget, skips the tasks that have not started and asks the
   * running ones to stop.
   */
  enforceBudget(ctx: C, taskId: number): Awaitable<BudgetStop>;
  dependencyResults(ctx: C, taskId: number): Awaitable<DependencyResult[]>;
  dependencyHeads(ctx: C, taskId: number): Awaitable<DependencyHead[]>;
  prune(ctx: C, policy: Records.RetentionPolicy, batchSize: number): Awaitable<number>;
  registerWorker(ctx: C, worker: WorkerRegistration): Awaitable<void>;
  workerHeartbeat(ctx: C, workerId: string): Awaitable<boolean>;
  setWorkerState(ctx: C, workerId: string, state: 'draining' | 'stopped'): Awaitable<boolean>;
  listWorkers(ctx: C): Awaitable<WorkerRecord[]>;
  recordEvent(ctx: C, event: Outbox.NewEvent): Awaitable<number>;
  readEvents(ctx: C, afterId: number, limit: number): Awaitable<Outbox.EventRecord[]>;
  lastEventId(ctx: C): Awaitable<number>;
  fanOutWebhooks(ctx: C, spec: Outbox.FanOutSpec): Awaitable<number>;
  claimWebhookDeliveries(ctx: C, leaseMs: number, limit: number): Awaitable<Outbox.WebhookDelivery[]>;
  settleWebhookDelivery(ctx: C, lease: Outbox.DeliveryLease, outcome: Outbox.DeliveryOutcome): Awaitable<boolean>;
  webhookBacklog(ctx: C): Awaitable<number>;
}
