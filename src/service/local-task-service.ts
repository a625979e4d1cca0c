/**
 * The TaskService over a store in this process: what the server (and the MCP
 * server in standalone mode) call. Validation happens here, once, for every
 * door; the runner picks submitted tasks up from the store.
 */
import type { BoardPage, BoardQuery } from '../core/board.js';
import type { Config } from '../core/config.js';
import type { StateEvent } from '../core/events.js';
import { OrchestrationNotFoundError, TaskNotFoundError, ValidationError } from '../core/errors.js';
import {
  listOrchestrationsQuerySchema,
  type CreateOrchestrationInput,
  type ListOrchestrationsQuery,
} from '../core/orchestration-schemas.js';
import type { OrchestrationDetail, OrchestrationPage } from '../core/orchestration.js';
import {
  discardInputSchema,
  mergeInputSchema,
  type DiscardInput,
  type DiscardOutcome,
  type MergeInput,
  type MergeOutcome,
  type OrchestrationMergeOutcome,
  type TaskDiff,
  type TaskDiffStat,
} from '../core/review.js';
import {
  continueTaskInputSchema,
  listTasksQuerySchema,
  parseOrThrow,
  type ContinueTaskInput,
  type CreateTaskInput,
  type Health,
  type ListTasksQuery,
  type QueueResume,
  type ServerWarning,
} from '../core/schemas.js';
import { isTerminal, type Task, type TaskPage, type WaitOutcome } from '../core/task.js';
import { usageQuerySchema, type UsageQuery, type UsageReport } from '../core/usage.js';
import type { WorkerList } from '../core/worker.js';
import type { TaskLogs } from '../logs/task-logs.js';
import type { TaskRecord, TaskStore } from '../store/task-store.js';
import { VERSION } from '../version.js';
import { readBoard } from './board-view.js';
import { followEvents } from './event-feed.js';
import { followUpSpec } from './follow-up.js';
import { checkSameOrchestration, checkSameTask } from './idempotency.js';
import { validateOrchestrationInput } from './orchestration-input.js';
import { mergeOrchestrationSinks } from './orchestration-merge.js';
import { newestFirstPage, pageFilter } from './paging.js';
import { orchestrationSpec, toOrchestration, toOrchestrationDetail } from './orchestration-view.js';
import { taskDefinition } from './task-definition.js';
import { validateTaskInput } from './task-input.js';
import { diffOfTask, diffStatOfTask, discardTask, mergeTask, worktreeOfTask } from './task-review.js';
import { settleWorkspace } from './task-workspace.js';
import type {
  DiffOptions,
  EventsOptions,
  LogsOptions,
  SubmitOrchestrationResult,
  SubmitResult,
  TaskService,
} from './task-service.js';
import { toTask } from './task-view.js';
import { watchTasks } from './task-changes.js';
import { waitForTasks } from './wait-for-tasks.js';
import { usageReport } from './usage-report.js';
import { toQueuePause } from './queue-pause-view.js';
import { toWorkerList } from './worker-view.js';

/** Backstop for following a log written by another process, whose change events do not reach us. */
const FOLLOW_POLL_MS = 250;

export interface LocalTaskServiceOptions {
  store: TaskStore;
  logs: TaskLogs;
  /** `isolation` left out: the default of an unset CLAUDE_WORKER_ISOLATION. */
  config: Pick<Config, 'concurrency' | 'permissionMode' | 'defaultTimeoutSeconds' | 'maxAttempts'> &
    Partial<Pick<Config, 'isolation'>>;
  /** Reported by health (see serverWarnings); none when omitted. */
  warnings?: readonly ServerWarning[];
}

export function createLocalTaskService(options: LocalTaskServiceOptions): TaskService {
  return new LocalTaskService(options);
}

class LocalTaskService implements TaskService {
  private readonly startedAt = Date.now();

  constructor(private readonly options: LocalTaskServiceOptions) {}

  async submit(input: CreateTaskInput): Promise<SubmitResult> {
    const valid = await validateTaskInput(input);
    const { config, store } = this.options;
    const { workspace, issues } = await settleWorkspace(valid, config.isolation ?? null);
    if (issues.length > 0) throw new ValidationError(issues);
    const spec = { ...taskDefinition(valid, config), ...workspace };
    const { task, deduplicated } = await store.enqueue(spec);
    if (deduplicated) checkSameTask(spec, task);
    return { task: toTask(task), deduplicated };
  }

  async continueTask(taskId: number, input: ContinueTaskInput): Promise<Task> {
    const valid = parseOrThrow(continueTaskInputSchema, input);
    // An ended task never changes again, so what is read here still holds when the follow-up is stored.
    const spec = followUpSpec(await this.record(taskId), valid, this.options.config);
    return toTask((await this.options.store.enqueue(spec)).task);
  }

  async get(taskId: number): Promise<Task> {
    return toTask(await this.record(taskId));
  }

  async list(query: ListTasksQuery = {}): Promise<TaskPage> {
    const { status, limit, cursor } = parseOrThrow(listTasksQuerySchema, query);
    const rows = await this.options.store.list({ ...pageFilter(limit, cursor), ...(status ? { status } : {}) });
    const { page, next_cursor } = newestFirstPage(rows, limit);
    return { tasks: page.map(toTask), next_cursor };
  }

  async board(query: BoardQuery = {}): Promise<BoardPage> {
    return readBoard(this.options.store, query);
  }

  async cancel(taskId: number): Promise<Task> {
    const cancelled = await this.options.store.requestCancel(taskId);
    if (!cancelled) throw new TaskNotFoundError(taskId);
    return toTask(cancelled.task);
  }

  async logs(taskId: number, options: LogsOptions = {}): Promise<string> {
    await this.record(taskId);
    return this.options.logs.readSummary(taskId, options.tail);
  }

  async *followLogs(taskId: number, signal?: AbortSignal): AsyncIterable<string> {
    const { logs, store } = this.options;
    await this.record(taskId);
    let lastId = 0;
    while (!signal?.aborted) {
      const changed = watchTasks(store, [taskId], FOLLOW_POLL_MS, signal);
      // Read the status before the log: the runner closes the log before it records the end,
      // so a terminal status seen here means the reads below get every line.
      const ended = isTerminal((await this.record(taskId)).status);
      for (;;) {
        const read = await logs.readSummaryAfter(taskId, lastId);
        if (read.lines.length === 0) break;
        lastId = read.lastId;
        yield* read.lines;
      }
      if (ended) {
        changed.cancel();
        return;
      }
      await changed.promise;
    }
  }

  waitForTasks(taskIds: readonly number[], timeoutSeconds: number, signal?: AbortSignal): Promise<WaitOutcome> {
    return waitForTasks((id) => this.get(id), taskIds, timeoutSeconds, {
      ...(signal ? { signal } : {}),
      watch: (ids, maxMs, abort) => watchTasks(this.options.store, ids, maxMs, abort),
    });
  }

  events(options: EventsOptions = {}, signal: AbortSignal = new AbortController().signal): AsyncIterable<StateEvent> {
    return followEvents(this.options.store, options.after, signal);
  }

  async health(): Promise<Health> {
    const [counts, pause] = await Promise.all([this.options.store.countActive(), this.options.store.readQueuePause()]);
    return {
      status: 'healthy',
      service: 'claude-worker',
      version: VERSION,
      uptime_seconds: Math.round((Date.now() - this.startedAt) / 1000),
      max_concurrency: this.options.config.concurrency,
      running: counts.running,
      pending: counts.pending,
      warnings: [...(this.options.warnings ?? [])],
      paused_until: pause === null ? null : new Date(pause.paused_until).toISOString(),
      pause_reason: pause?.reason ?? null,
    };
  }

  async workers(): Promise<WorkerList> {
    const { store } = this.options;
    const [workers, pause] = await Promise.all([store.listWorkers(), store.readQueuePause()]);
    return toWorkerList(workers, toQueuePause(pause));
  }

  async resumeQueue(): Promise<QueueResume> {
    const lifted = toQueuePause(await this.options.store.resumeQueue());
    return { resumed: lifted !== null, pause: lifted };
  }

  async usage(query: UsageQuery = {}): Promise<UsageReport> {
    const { days } = parseOrThrow(usageQuerySchema, query);
    return usageReport(await this.options.store.usage(days), days);
  }

  async submitOrchestration(input: CreateOrchestrationInput): Promise<SubmitOrchestrationResult> {
    const valid = await validateOrchestrationInput(input);
    const { config } = this.options;
    const settled = await Promise.all(
      valid.tasks.map((task, i) => settleWorkspace(task, config.isolation ?? null, `tasks[${i}].`)),
    );
    const issues = settled.flatMap((s) => s.issues);
    if (issues.length > 0) throw new ValidationError(issues);
    const spec = orchestrationSpec(valid, config);
    spec.tasks.forEach((task, i) => Object.assign(task, settled[i]!.workspace));
    const { deduplicated, ...graph } = await this.options.store.submitOrchestration(spec);
    if (deduplicated) checkSameOrchestration(spec, graph);
    return { orchestration: toOrchestrationDetail(graph), deduplicated };
  }

  async getOrchestration(orchestrationId: number): Promise<OrchestrationDetail> {
    const graph = await this.options.store.getOrchestration(orchestrationId);
    if (!graph) throw new OrchestrationNotFoundError(orchestrationId);
    return toOrchestrationDetail(graph);
  }

  async listOrchestrations(query: ListOrchestrationsQuery = {}): Promise<OrchestrationPage> {
    const { limit, cursor } = parseOrThrow(listOrchestrationsQuerySchema, query);
    const { page, next_cursor } = newestFirstPage(await this.options.store.listOrchestrations(pageFilter(limit, cursor)), limit);
    return { orchestrations: page.map(toOrchestration), next_cursor };
  }

  async cancelOrchestration(orchestrationId: number): Promise<OrchestrationDetail> {
    const graph = await this.options.store.cancelOrchestration(orchestrationId);
    if (!graph) throw new OrchestrationNotFoundError(orchestrationId);
    return toOrchestrationDetail(graph);
  }

  async diff(taskId: number, options: DiffOptions = {}): Promise<TaskDiff> {
    return diffOfTask(await this.record(taskId), options);
  }

  async diffStat(taskId: number): Promise<TaskDiffStat> {
    return diffStatOfTask(await this.record(taskId));
  }

  async merge(taskId: number, input: MergeInput = {}): Promise<MergeOutcome> {
    const merged = await mergeTask(await this.record(taskId), parseOrThrow(mergeInputSchema, input));
    await this.options.store.recordMerge(taskId, { merge_commit: merged.mergeCommit });
    return {
      task: await this.get(taskId),
      into: merged.into,
      merge_commit: merged.mergeCommit,
      fast_forward: merged.fastForward,
      already_merged: merged.alreadyMerged,
    };
  }

  async mergeOrchestration(orchestrationId: number, input: MergeInput = {}): Promise<OrchestrationMergeOutcome> {
    const graph = await this.options.store.getOrchestration(orchestrationId);
    if (!graph) throw new OrchestrationNotFoundError(orchestrationId);
    const merged = await mergeOrchestrationSinks(graph, parseOrThrow(mergeInputSchema, input));
    for (const sink of merged.sinks) await this.options.store.recordMerge(sink.id, { merge_commit: merged.mergeCommit });
    return {
      orchestration: await this.getOrchestration(orchestrationId),
      into: merged.into,
      merge_commit: merged.mergeCommit,
      fast_forward: merged.fastForward,
      already_merged: merged.alreadyMerged,
    };
  }

  async discard(taskId: number, input: DiscardInput = {}): Promise<DiscardOutcome> {
    const discarded = await discardTask(await this.record(taskId), parseOrThrow(discardInputSchema, input));
    return { task: await this.get(taskId), removed_worktree: discarded.removedWorktree, deleted_branch: discarded.deletedBranch };
  }

  async worktree(taskId: number): Promise<{ path: string }> {
    return { path: await worktreeOfTask(await this.record(taskId)) };
  }

  private async record(taskId: number): Promise<TaskRecord> {
    const record = await this.options.store.get(taskId);
    if (!record) throw new TaskNotFoundError(taskId);
    return record;
  }
}
