/**
 * The durable queue behind every door. One interface, one implementation per
 * database (SQLite and PostgreSQL); callers never see a connection or a
 * transaction. The records it takes and returns are in task-records.ts and
 * orchestration-records.ts; its outbox methods are in outbox-store.ts.
 *
 * States: a task is `waiting` (an orchestration's task whose dependencies
 * have not ended), `pending` (waiting for a slot, or for `run_at` after a
 * retry), `running` (claimed: it holds a lease), or terminal (`completed`,
 * `failed`, `cancelled`, `skipped`) and then never changes again.
 *
 * Fencing: every claim mints a fresh lease token. Every write a runner makes
 * about a running task (progress, heartbeat, complete, fail, release, cancel)
 * names the task *and* the token and only applies while the task is still
 * `running` under that token. A fenced method that returns `false` means the
 * caller no longer owns the task (its lease expired and the reaper or another
 * runner took over, or it was already finished): it must stop the agent and
 * record nothing more.
 *
 * Time: leases, `run_at` and backoff are computed by the store from its own
 * clock (SQLite: an injected app clock in ms; PostgreSQL: `now()`), never
 * from timestamps a caller sends.
 */
import type { Labels } from '../core/labels.js';
import type { RunStats, TaskStatus } from '../core/task.js';
import type { AgentProcessInfo, WorkerIdentity } from '../core/worker.js';
import type {
  DependencyHead,
  DependencyResult,
  OrchestrationGraph,
  OrchestrationRecord,
  OrchestrationSpec,
  SubmitOrchestrationResult,
} from './orchestration-records.js';
import type {
  ActiveCounts,
  CancelOutcome,
  ClaimedTask,
  CompletedResult,
  EnqueueResult,
  EnqueueSpec,
  FailureRecord,
  LimitRecord,
  PauseRequest,
  QueuePauseRecord,
  HeartbeatResult,
  Lease,
  BoardRowRecord,
  ListFilter,
  LogLine,
  LogRange,
  MergeRecord,
  RetentionPolicy,
  RunningAttempt,
  TaskLogLine,
  TaskProgress,
  TaskRecord,
  WorkspaceProgress,
} from './task-records.js';
import type { TaskMetricsSnapshot } from './metrics-records.js';
import type { UsageRow } from './usage-records.js';
import type { WorkerRecord, WorkerRegistration } from './worker-records.js';
import type { OutboxStore } from './outbox-store.js';

export type * from './event-records.js';
// The records live in a module of their own, so that orchestration-records.ts can use them without a cycle.
export type * from './task-records.js';
export type * from './metrics-records.js';

export interface TaskStore extends OutboxStore {
  /** Adds a pending task, or returns the existing one with the same idempotency key. */
  enqueue(spec: EnqueueSpec): Promise<EnqueueResult>;

  /**
   * Atomically takes the oldest runnable pending task (run_at reached, no
   * cancel requested, every required label among `labels`), marks it running
   * under a fresh lease, counts the attempt and records who owns it. Exactly
   * one caller wins each task, across processes. Null when nothing is
   * runnable. Without `labels`, only tasks that require none are taken.
   */
  claim(worker: WorkerIdentity, leaseMs: number, labels?: Labels): Promise<ClaimedTask | null>;

  /** Like `claim`, for up to `limit` tasks at once, oldest first (a runner's free slots). */
  claimMany(worker: WorkerIdentity, leaseMs: number, limit: number, labels?: Labels): Promise<ClaimedTask[]>;

  /** Records the agent process of an attempt (fenced). */
  recordSpawn(lease: Lease, agent: AgentProcessInfo): Promise<boolean>;

  /** Records what the agent is doing (fenced). */
  recordProgress(lease: Lease, progress: TaskProgress): Promise<boolean>;

  /**
   * Records where a running task's work lives (fenced): its branch and
   * worktree once prepared, its head and changes once the agent stopped.
   */
  recordWorkspace(lease: Lease, workspace: WorkspaceProgress): Promise<boolean>;

  /**
   * Records that an ended task's branch was merged (now, and the commit it
   * made); not fenced, no runner owns an ended task. False when there is no
   * such task or it has not ended.
   */
  recordMerge(taskId: number, merge: MergeRecord): Promise<boolean>;

  /**
   * Appends lines to the readable logs of their tasks, each task's in the
   * order given, in one statement; lines of a task that no longer exists are
   * dropped. Not fenced: a log is a record of what happened, and a runner
   * that lost its lease says so in it.
   */
  appendLog(lines: readonly TaskLogLine[]): Promise<void>;

  /** Extends all given leases in one statement and reports cancel requests, one result per lease in the same order. */
  heartbeat(leases: readonly Lease[], leaseMs: number): Promise<HeartbeatResult[]>;

  /**
   * running → completed (fenced). Completions made at the same moment are
   * written together (group commit, see group-commit.ts), each still fenced
   * by its own lease and answered on its own.
   */
  complete(lease: Lease, result: CompletedResult): Promise<boolean>;

  /**
   * running → failed (fenced). With `retryDelayMs` and attempts left, the
   * task goes back to pending, runnable after the delay, instead.
   */
  fail(lease: Lease, failure: FailureRecord, retryDelayMs: number | null): Promise<boolean>;

  /** running → pending, runnable now, and the attempt is not counted (graceful shutdown). */
  release(lease: Lease): Promise<boolean>;

  /** running → cancelled after the runner stopped the agent (fenced). */
  markCancelled(lease: Lease, stats?: Partial<RunStats>): Promise<boolean>;

  /**
   * A run stopped by a usage limit (fenced): the task goes back to `pending`,
   * runnable after `limit.delayMs`, with `limit_hits` raised instead of
   * `attempts` and its session kept; the queue pauses for as long, in the
   * same transaction (cancelled instead when a cancel was requested), which
   * records `task.paused`, and `queue.paused` as pauseQueue does.
   */
  deferForLimit(lease: Lease, limit: LimitRecord): Promise<boolean>;

  /**
   * Pauses claiming on every runner on the database for `delayMs` from now;
   * a pause that already lasts longer keeps its end. Returns the pause.
   * Records `queue.paused` when the pause starts, or ends a minute or more
   * later than it did; not for a report of the same reset.
   */
  pauseQueue(request: PauseRequest): Promise<QueuePauseRecord>;

  /**
   * Lifts the pause by hand, and makes the tasks a usage limit sent back
   * runnable now. Returns the pause that was lifted, null when there was none;
   * only the call that lifted it records `queue.resumed`.
   */
  resumeQueue(): Promise<QueuePauseRecord | null>;

  /**
   * The probe `taskId` got through (the API answered it): lifts the pause, so
   * the other tasks start, and records `queue.resumed` (once, whichever node
   * reports it first). False when the pause is not over, has another probe,
   * or was lifted already.
   */
  probeGotThrough(taskId: number): Promise<boolean>;

  /** The pause, also once it is over while its probe has not got through yet; null when claiming is open. */
  readQueuePause(): Promise<QueuePauseRecord | null>;

  /** What the tasks that ended since the start of the current UTC day cost, in USD. */
  spentToday(): Promise<number>;

  /** Asks for a task to stop. Null when there is no such task. */
  requestCancel(taskId: number): Promise<{ task: TaskRecord; outcome: CancelOutcome } | null>;

  /**
   * Gives up on a running attempt whose owner is gone: cancelled if a cancel
   * was requested, pending after `retryDelayMs` if attempts are left, else
   * failed with `lost`. Fenced by the attempt's token.
   */
  abandon(lease: Lease, reason: string, retryDelayMs: number): Promise<boolean>;

  /** Abandons every running task whose lease has expired; returns their ids. */
  reapExpired(retryDelayMs: number): Promise<number[]>;

  /** Running attempts owned by runners on `host` (for startup recovery). */
  runningAttemptsOnHost(host: string): Promise<RunningAttempt[]>;

  get(taskId: number): Promise<TaskRecord | null>;

  /**
   * The task's log lines in order: those after `afterId`, or the last `tail`
   * ones. Ids grow with every append, so a follower passes the last id it saw.
   */
  readLog(taskId: number, range: LogRange): Promise<LogLine[]>;

  /** Newest first. */
  list(filter: ListFilter): Promise<TaskRecord[]>;
  /**
   * The tasks `list` would return, as the board shows them: a few columns
   * and the head of the prompt. Reading a thousand whole tasks costs tens of
   * milliseconds more (SQLite builds a 48-column object per row).
   */
  listBoardRows(filter: ListFilter): Promise<BoardRowRecord[]>;

  countByStatus(): Promise<Record<TaskStatus, number>>;

  /** The pending and running tasks alone: as cheap as the queue is long, however many ended tasks are kept. */
  countActive(): Promise<ActiveCounts>;

  /** What /metrics reports about tasks: the oldest pending task's age, usage by model, failures by code, run timings. */
  metricsSnapshot(): Promise<TaskMetricsSnapshot>;

  /**
   * What the tasks that ran and ended in the last `days` UTC days (today
   * included, by the store's clock) cost, per day and model, oldest first.
   */
  usage(days: number): Promise<UsageRow[]>;

  /**
   * Stores an orchestration and all its tasks in one transaction: tasks
   * without dependencies `pending` (runnable after their initial delay), the
   * others `waiting`. With a `key` that matches an existing orchestration,
   * that one is returned instead and nothing is stored.
   *
   * Scheduling: whenever a task of an orchestration ends (completed, failed,
   * cancelled, lost, skipped), the same transaction moves the tasks after it
   * on: under `skip_dependents`, a task that did not complete skips every
   * waiting task that depends on it, directly or not; a waiting task whose
   * dependencies all completed (under `continue`: all ended) becomes
   * `pending`, runnable `initial_delay` seconds later. A `waiting` task is
   * never claimed.
   */
  submitOrchestration(spec: OrchestrationSpec): Promise<SubmitOrchestrationResult>;

  /** Null when there is no such orchestration. */
  getOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null>;

  /** Newest first. */
  listOrchestrations(filter: { beforeId?: number; limit: number }): Promise<OrchestrationRecord[]>;

  /**
   * Cancels an orchestration: its waiting tasks are skipped, its pending ones
   * cancelled and its running ones asked to stop (as `requestCancel` does).
   * Null when there is no such orchestration.
   */
  cancelOrchestration(orchestrationId: number): Promise<OrchestrationGraph | null>;

  /**
   * The tasks `taskId` depends on, with their outcome, for its prompt; empty
   * for a task without dependencies or whose orchestration does not pass results.
   */
  dependencyResults(taskId: number): Promise<DependencyResult[]>;

  /**
   * Where the work of each task `taskId` depends on ended (its isolation and
   * head commit), in id order, whatever the orchestration's pass_results: the
   * task's worktree starts from those heads. Empty for a task without dependencies.
   */
  dependencyHeads(taskId: number): Promise<DependencyHead[]>;

  /** Deletes old terminal tasks in batches; returns how many were deleted. */
  prune(policy: RetentionPolicy, batchSize: number): Promise<number>;

  /**
   * Adds a runner to the worker registry (or updates its row), with its
   * heartbeat at now, and deletes rows silent for longer than
   * WORKER_RETENTION_MS.
   */
  registerWorker(worker: WorkerRegistration): Promise<void>;

  /** Records that the runner is alive. False when its row is gone (pruned after a long silence): register again. */
  workerHeartbeat(workerId: string): Promise<boolean>;

  /** Moves a runner to `draining` or `stopped` (its last sign of life counts as a heartbeat). False when its row is gone. */
  setWorkerState(workerId: string, state: 'draining' | 'stopped'): Promise<boolean>;

  /** Registered runners heard from within WORKER_RETENTION_MS, by name; silent past their lease: `lost`. */
  listWorkers(): Promise<WorkerRecord[]>;

  /**
   * Resolves when work may be available (a task was enqueued or released in
   * this process), when `maxWaitMs` passes (the backstop for other
   * processes), or when `signal` aborts.
   */
  waitForWork(signal: AbortSignal, maxWaitMs: number): Promise<void>;

  /** Calls `listener` when a cancel is requested in this process (a hint; heartbeats are the guarantee). */
  onCancelRequested(listener: (taskId: number) => void): () => void;

  /** Calls `listener` whenever a task changes in this process (used to end waits and log follows promptly). */
  onTaskChanged(listener: (taskId: number) => void): () => void;

  close(): Promise<void>;
}
