/**
 * The operations every door offers. The server, the MCP server and the
 * programmatic API call a TaskService; it is either local (a store and a
 * runner in this process) or remote (the HTTP client of a server).
 */
import type { StateEvent } from '../core/events.js';
import type { CreateOrchestrationInput, ListOrchestrationsQuery } from '../core/orchestration-schemas.js';
import type { OrchestrationDetail, OrchestrationPage } from '../core/orchestration.js';
import type {
  DiscardInput,
  DiscardOutcome,
  MergeInput,
  MergeOutcome,
  OrchestrationMergeOutcome,
  TaskDiff,
  TaskDiffStat,
} from '../core/review.js';
import type { ContinueTaskInput, CreateTaskInput, Health, ListTasksQuery, QueueResume } from '../core/schemas.js';
import type { Task, TaskPage, WaitOutcome } from '../core/task.js';
import type { BoardPage, BoardQuery } from '../core/board.js';
import type { UsageQuery, UsageReport } from '../core/usage.js';
import type { WorkerList } from '../core/worker.js';

export interface SubmitResult {
  task: Task;
  /** True when an idempotency key matched an existing task, which is returned instead. */
  deduplicated: boolean;
}

export interface SubmitOrchestrationResult {
  orchestration: OrchestrationDetail;
  /** True when `key` matched an existing orchestration, which is returned instead. */
  deduplicated: boolean;
}

export interface LogsOptions {
  /** Only the last N lines. */
  tail?: number;
}

export interface DiffOptions {
  /** Cut the diff past this many bytes (default DEFAULT_DIFF_MAX_BYTES), with a note saying so. */
  maxBytes?: number;
}

export interface EventsOptions {
  /** Start after this event id (the last one seen); by default only events from now on. */
  after?: number;
}

export interface TaskService {
  /** Validates and persists a task; it runs in the background. Throws ValidationError listing every problem. */
  submit(input: CreateTaskInput): Promise<SubmitResult>;
  /**
   * A new task that continues an ended (completed, failed or cancelled)
   * task's conversation in its worktree and on its branch, with `message` as
   * the next message. Throws TaskNotFoundError, TaskNotEndedError (409).
   */
  continueTask(taskId: number, input: ContinueTaskInput): Promise<Task>;
  /** Throws TaskNotFoundError. */
  get(taskId: number): Promise<Task>;
  /** Newest first; pass `next_cursor` back as `cursor` for the next page. */
  list(query?: ListTasksQuery): Promise<TaskPage>;
  /** The tasks as the dashboard's board lists them: a row each, newest first, and the counts per status of all tasks. */
  board(query?: BoardQuery): Promise<BoardPage>;
  /** Cancels a pending task at once; a running one is stopped (whole process tree) and ends `cancelled`. */
  cancel(taskId: number): Promise<Task>;
  /** The readable summary log (one line per tool use or message). */
  logs(taskId: number, options?: LogsOptions): Promise<string>;
  /**
   * Summary log lines: what is there, then new lines as they are written, and
   * ends when the task has ended and its log is complete, or when `signal` aborts.
   */
  followLogs(taskId: number, signal?: AbortSignal): AsyncIterable<string>;
  /**
   * Returns as soon as every task has ended, or after `timeoutSeconds`
   * (capped at MAX_WAIT_SECONDS), with each task's state. Throws
   * TaskNotFoundError for an unknown id.
   */
  waitForTasks(taskIds: readonly number[], timeoutSeconds: number, signal?: AbortSignal): Promise<WaitOutcome>;
  /**
   * Every state change (tasks, orchestrations, the queue) from the outbox,
   * after `options.after`, then live as they happen, until `signal` aborts.
   * Ids grow: resuming after the last id seen misses nothing (of the
   * `task.progress` events of a running task, the latest is kept).
   */
  events(options?: EventsOptions, signal?: AbortSignal): AsyncIterable<StateEvent>;
  health(): Promise<Health>;
  /** The runner processes sharing this database, with their state and running tasks, and the queue pause. */
  workers(): Promise<WorkerList>;
  /** Cost, tokens, tasks and failures of the tasks that ended in the last `days` UTC days (default 7), by day and model. */
  usage(query?: UsageQuery): Promise<UsageReport>;
  /**
   * Lifts the queue pause (a usage limit, the daily budget) by hand: claiming
   * resumes on every runner, and the tasks a usage limit sent back may start now.
   */
  resumeQueue(): Promise<QueueResume>;
  /**
   * Validates a task graph and persists it with all its tasks; they run in
   * the background as their dependencies end. Throws ValidationError listing
   * every problem (fields, directories, unknown or duplicate identifiers, cycles).
   */
  submitOrchestration(input: CreateOrchestrationInput): Promise<SubmitOrchestrationResult>;
  /** With its tasks. Throws OrchestrationNotFoundError. */
  getOrchestration(orchestrationId: number): Promise<OrchestrationDetail>;
  /** Newest first, without their tasks; pass `next_cursor` back as `cursor` for the next page. */
  listOrchestrations(query?: ListOrchestrationsQuery): Promise<OrchestrationPage>;
  /** Skips its waiting tasks, cancels its pending ones and stops its running ones. Throws OrchestrationNotFoundError. */
  cancelOrchestration(orchestrationId: number): Promise<OrchestrationDetail>;
  /*
   * The review of a task's work (isolation `worktree`). Each throws
   * TaskNotFoundError, TaskRanInPlaceError for a task with isolation `none`,
   * or another typed 409 error that changed nothing.
   */
  /** The unified diff from the task's base to the head of its branch, bounded. */
  diff(taskId: number, options?: DiffOptions): Promise<TaskDiff>;
  /** The files the task's branch changed, with line counts. */
  diffStat(taskId: number): Promise<TaskDiffStat>;
  /**
   * Merges an ended task's branch into `into` (default: the branch checked
   * out in its repository) and records merged_at and merge_commit. Refuses
   * (MergeConflictError, DirtyCheckoutError, TaskNotEndedError, ...) without changing anything.
   */
  merge(taskId: number, input?: MergeInput): Promise<MergeOutcome>;
  /**
   * Merges the work of an ended orchestration: the heads of its sink tasks
   * (no other task of it depends on them), combined, into `into` as `merge`
   * does, and records merged_at and merge_commit on each sink. Throws
   * OrchestrationNotFoundError, or a typed 409 error that changed nothing:
   * a task not ended, a sink without a branch, a conflict.
   */
  mergeOrchestration(orchestrationId: number, input?: MergeInput): Promise<OrchestrationMergeOutcome>;
  /** Removes an ended task's worktree and branch; a branch with unmerged work only with `force`. */
  discard(taskId: number, input?: DiscardInput): Promise<DiscardOutcome>;
  /** The task's worktree directory, while it exists. */
  worktree(taskId: number): Promise<{ path: string }>;
}
