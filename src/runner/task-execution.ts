/**
 * Runs one claimed task to its end: starts the agent, enforces the timeout,
 * writes the logs and progress, and records the outcome under the task's
 * lease. Why the agent stopped early (cancel, timeout, shutdown, lost lease)
 * travels as the abort reason, so the outcome is recorded truthfully.
 */
import { stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import type { Agent, AgentActivity, AgentRunResult } from '../agents/agent.js';
import { describeLimit } from '../core/queue-pause.js';
import type { OrphanGuard } from '../host/orphan-guard.js';
import type { RunStats } from '../core/task.js';
import type { TaskLogs, TaskLogWriter } from '../logs/task-logs.js';
import type { ClaimedTask, Lease, TaskProgress, TaskStore, WorkspaceProgress } from '../store/task-store.js';
import { ProgressRecorder } from './progress-recorder.js';
import { withDependencyResults } from './dependency-results.js';
import { followUpOf } from './follow-up.js';
import { limitDelayMs, retryDelayMs, type Backoffs } from './retry-policy.js';
import { describeAgain, describeEnd, outcomeWord, type StopReason } from './run-end-words.js';
import { TaskWorktree } from './task-worktree.js';

export type { StopReason };

/**
 * A store outage (a database restart, a failover) must not throw away a run
 * that finished: its outcome is written again until the store answers, for
 * up to this long, while the lease keeper goes on renewing the lease. Safe
 * to repeat: the write is fenced, so once another runner has the task (or a
 * lost reply hid a write that went through), it changes nothing.
 */
const OUTCOME_RETRY_MS = 120_000;
const OUTCOME_RETRY_PAUSES_MS = [250, 500, 1000, 2000];

export interface TaskExecutionDeps {
  store: TaskStore;
  agent: Agent;
  logs: TaskLogs;
  env: Readonly<Record<string, string | undefined>>;
  /** Named in the log, so a reader can tell which runner ran each attempt. */
  workerId: string;
  /** Told about every agent process group while it lives, so the group dies with the runner. */
  orphanGuard: Pick<OrphanGuard, 'watch' | 'unwatch'>;
  /** Where the worktrees of tasks with isolation `worktree` go. */
  worktreesDir: string;
  backoffs: Backoffs;
}

export class TaskExecution {
  readonly lease: Lease;
  private readonly controller = new AbortController();
  /** Resolves once the outcome is recorded and the agent's process tree is gone. */
  readonly done: Promise<void>;
  private readonly worktree: TaskWorktree;

  constructor(
    private readonly deps: TaskExecutionDeps,
    private readonly claimed: ClaimedTask,
  ) {
    this.lease = claimed.lease;
    this.worktree = new TaskWorktree(deps, claimed.task, claimed.lease, this.controller.signal);
    this.done = this.execute();
  }

  get taskId(): number {
    return this.lease.taskId;
  }

  /** Whether the agent was asked to stop. */
  get stopping(): boolean {
    return this.controller.signal.aborted;
  }

  /** Stops the agent; the first reason given wins. */
  stop(reason: StopReason): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }

  private async execute(): Promise<void> {
    const { task, attempt } = this.claimed;
    const log = this.deps.logs.openWriter(task.id);
    log.line(`=== attempt ${attempt} of ${task.max_attempts} started by ${this.deps.workerId} in ${task.working_directory}`);
    const timer = setTimeout(() => this.stop('timeout'), task.timeout_seconds * 1000);
    const progress = new ProgressRecorder(this.deps.store, this.lease);
    let result: AgentRunResult;
    try {
      result = await this.runAgent(log, progress);
    } catch (error) {
      // The agent contract says run() never rejects; if it does, the task must still end honestly.
      result = {
        outcome: 'failed',
        code: 'crashed',
        message: `Agent failed unexpectedly: ${String(error)}`,
        summary: null,
        stats: {},
      };
    } finally {
      clearTimeout(timer);
    }
    const reason = this.controller.signal.aborted ? (this.controller.signal.reason as StopReason) : null;
    const budget = reason === 'cancel' ? await this.budgetStop() : null;
    const again = budget ? null : this.whenAgain(result);
    log.line(
      `=== ${budget ? `failed (budget_exceeded): ${budget}` : describeEnd(result, reason, task.timeout_seconds)}${describeAgain(result, again, this.claimed)}`,
    );
    const finished = await this.worktree.finish(log, budget ? 'failed (budget_exceeded)' : outcomeWord(result, reason));
    await Promise.all([log.close(), progress.flush()]);
    await this.record(result, reason, finished, again);
  }

  /**
   * How long before the task runs again, when it does: after a usage limit
   * (the queue waits as long), or after a transient failure with attempts
   * left. Null: this run ends the task.
   */
  private whenAgain(result: AgentRunResult): number | null {
    const { task, attempt } = this.claimed;
    if (result.outcome === 'limited') return limitDelayMs(result.resetsAt, task.limit_hits, this.deps.backoffs);
    return retryDelayMs(result, attempt, task.max_attempts, this.deps.backoffs);
  }

  /**
   * Why the task was stopped when its orchestration's budget did it: the
   * store flags such a task with the error it ends with. Null for a plain cancel.
   */
  private async budgetStop(): Promise<string | null> {
    if (this.claimed.task.orchestration_id === null) return null;
    const task = await this.deps.store.get(this.taskId).catch(() => null);
    return task?.error_code === 'budget_exceeded' ? task.error_message : null;
  }

  private async runAgent(log: TaskLogWriter, progressRecorder: ProgressRecorder): Promise<AgentRunResult> {
    const { task } = this.claimed;
    const missing = await missingDirectoryProblem(task.working_directory);
    if (missing) return { outcome: 'failed', code: 'spawn_failed', message: missing, summary: null, stats: {} };
    const problem = await this.worktree.prepare(log);
    if (problem) return { outcome: 'failed', code: problem.code, message: problem.message, summary: null, stats: {} };
    const groups: number[] = [];
    try {
      return await this.startAgent(log, progressRecorder, groups);
    } finally {
      // The agent's run ends once its process groups are gone.
      for (const pgid of groups) this.deps.orphanGuard.unwatch(pgid);
    }
  }

  /** Runs the agent; `groups` collects the process groups it starts. */
  private async startAgent(log: TaskLogWriter, progressRecorder: ProgressRecorder, groups: number[]): Promise<AgentRunResult> {
    const { task, attempt } = this.claimed;
    return this.deps.agent.run(
      {
        taskId: task.id,
        attempt,
        prompt: await this.prompt(),
        systemPrompt: task.system_prompt,
        model: task.model,
        permissionMode: task.permission_mode,
        maxTurns: task.max_turns,
        maxBudgetUsd: task.max_budget_usd,
        // Set only when an earlier attempt started and did not end the task: it was
        // interrupted (released or lost), stopped by a usage limit, or failed in a
        // transient way. A claim keeps the last session, so the re-run continues it.
        resumeSessionId: task.session_id,
        followUp: await followUpOf(this.deps.store, task),
        cwd: this.worktree.cwd ?? task.working_directory,
        env: this.deps.env,
        signal: this.controller.signal,
      },
      {
        onSpawn: (proc) => {
          this.deps.orphanGuard.watch(proc.pgid);
          groups.push(proc.pgid);
          void this.deps.store.recordSpawn(this.lease, proc).catch(ignoreStoreHiccup);
        },
        onMessage: (message) => log.event(message),
        onActivity: (activity) => {
          log.line(activity.line);
          const progress = progressOf(activity);
          if (progress) progressRecorder.record(progress);
        },
        onModelAnswered: () => {
          if (this.claimed.probe) void this.probeGotThrough(log);
        },
      },
    );
  }

  /** The task's prompt, with what its dependencies found when it is part of a graph. */
  private async prompt(): Promise<string> {
    const { task } = this.claimed;
    // Most tasks are on their own: no round trip to the store for them.
    if (task.orchestration_id === null) return task.execution_prompt;
    return withDependencyResults(task.execution_prompt, await this.deps.store.dependencyResults(task.id));
  }

  /** This task went first after a pause and the API answered it: the others may start. */
  private async probeGotThrough(log: TaskLogWriter): Promise<void> {
    try {
      if (await this.deps.store.probeGotThrough(this.taskId)) {
        log.line('[limit] the API answers again: the queue pause is lifted and the other tasks start');
      }
    } catch {
      // The pause ends anyway: another probe is started once this one's lease runs out.
    }
  }

  private async record(
    result: AgentRunResult,
    reason: StopReason | null,
    workspace: WorkspaceProgress | null,
    again: number | null,
  ): Promise<void> {
    const deadline = Date.now() + OUTCOME_RETRY_MS;
    for (let retry = 0; ; retry++) {
      try {
        // Before the outcome, while the lease still fences it: a task seen ended has its head recorded.
        if (workspace) await this.deps.store.recordWorkspace(this.lease, workspace);
        return await this.writeOutcome(result, reason, again);
      } catch (error) {
        if (Date.now() >= deadline) throw error;
        await delay(OUTCOME_RETRY_PAUSES_MS[Math.min(retry, OUTCOME_RETRY_PAUSES_MS.length - 1)]);
      }
    }
  }

  private async writeOutcome(result: AgentRunResult, reason: StopReason | null, again: number | null): Promise<void> {
    const { store } = this.deps;
    const { task } = this.claimed;
    if (result.outcome === 'completed') {
      await store.complete(this.lease, { final_summary: result.summary, ...result.stats });
    } else if (result.outcome === 'failed') {
      await store.fail(
        this.lease,
        { error_code: result.code, error_message: result.message, final_summary: result.summary, ...result.stats },
        again,
      );
      // The probe got an answer, if not the one it wanted: the limit is over.
      if (this.claimed.probe) await store.probeGotThrough(task.id);
    } else if (result.outcome === 'limited') {
      await store.deferForLimit(this.lease, {
        delayMs: again!,
        reason: describeLimit(result.limitType),
        message: `Waiting for the usage limit to reset at ${new Date(Date.now() + again!).toISOString()}. ${result.message}`,
        stats: result.stats,
      });
    } else if (reason === 'cancel') {
      await store.markCancelled(this.lease, result.stats);
    } else if (reason === 'timeout') {
      await store.fail(this.lease, timeoutFailure(task.timeout_seconds, result.stats), null);
    } else if (reason === 'shutdown') {
      await store.release(this.lease);
    }
    // lease_lost: another runner or the reaper owns the task now; record nothing.
  }
}

function timeoutFailure(seconds: number, stats: Partial<RunStats>) {
  return {
    ...stats,
    error_code: 'timeout' as const,
    error_message: `Timed out after ${seconds} s; the agent and every process it started were stopped. Give the task more time with --timeout (timeout_seconds) or split it.`,
  };
}

function progressOf(activity: AgentActivity): TaskProgress | null {
  const progress: TaskProgress = {};
  if (activity.lastAction !== undefined) progress.last_action_cache = activity.lastAction;
  if (activity.sessionId !== undefined) progress.session_id = activity.sessionId;
  if (activity.apiKeySource !== undefined) progress.api_key_source = activity.apiKeySource;
  return Object.keys(progress).length > 0 ? progress : null;
}

async function missingDirectoryProblem(dir: string): Promise<string | null> {
  try {
    if ((await stat(dir)).isDirectory()) return null;
    return `Working directory ${dir} is not a directory.`;
  } catch {
    return `Working directory ${dir} no longer exists; it existed when the task was submitted.`;
  }
}

/**
 * Spawn records are best effort, like progress: the heartbeat is what keeps
 * the lease, and the final outcome write is awaited (and fails loudly).
 */
function ignoreStoreHiccup(): void {}
