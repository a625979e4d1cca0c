/**
 * What happens to a task, decided the same way on both databases: a lost
 * run, a skipped dependent. Each store only writes the decision.
 */
import type { FailurePolicy } from '../core/orchestration.js';
import type { FailureCode, RunStats, TaskStatus } from '../core/task.js';
import type { RunEnd } from './run-end.js';
import type { CompletedResult, FailureRecord } from './task-records.js';

/** How a run the agent finished ends. Success makes the errors of earlier attempts moot. */
export function completedRun(result: CompletedResult): RunEnd {
  return {
    status: 'completed',
    error: null,
    finalSummary: result.final_summary,
    stats: result,
    attempt: { outcome: 'completed', error: null },
  };
}

/**
 * The error every cancelled task carries, whatever stage the cancel found it
 * at, so that `error_code` alone tells a cancel from a failure. Before it
 * started, as the parameters of the statements that cancel it then:
 */
export const CANCELLED_BEFORE_START_PARAMS = { error_code: 'cancelled', error_message: 'Cancelled before it started.' } as const;
export const CANCELLED_WHILE_RUNNING = {
  code: 'cancelled',
  message: 'Cancelled while it ran; the agent and every process it started were stopped.',
} as const;

/** How a running task ends once its runner carried out the cancel (or released it with a cancel requested). */
export const CANCELLED_RUN = {
  status: 'cancelled',
  error: CANCELLED_WHILE_RUNNING,
  attempt: { outcome: 'cancelled', error: null },
} as const;

/**
 * A running task whose orchestration spent its budget carries a cancel
 * request and, already, the error it will end with (see sql/budgets.ts).
 */
function stoppedByBudget(row: { cancel_requested_at: number | null; error_code: FailureCode | null }): boolean {
  return row.cancel_requested_at !== null && row.error_code === 'budget_exceeded';
}

/**
 * How a running task ends once its runner stopped it on a cancel request:
 * `cancelled`, or `failed` with the error it was flagged with when its
 * orchestration's budget stopped it (its cost and partial result are kept as for any stop).
 */
export function decideStoppedRun(
  row: { cancel_requested_at: number | null; error_code: FailureCode | null; error_message: string | null },
  stats?: Partial<RunStats>,
): RunEnd & { status: 'cancelled' | 'failed' } {
  if (!stoppedByBudget(row)) return { ...CANCELLED_RUN, stats };
  // No `error`: the one stored when the budget stopped it stays.
  return { status: 'failed', stats, attempt: { outcome: 'failed', error: row.error_message } };
}

export interface AbandonDecision {
  status: Extract<TaskStatus, 'cancelled' | 'pending' | 'failed'>;
  error: { code: Extract<FailureCode, 'cancelled' | 'lost' | 'budget_exceeded'>; message: string };
}

/**
 * What becomes of a running task whose runner is gone: cancelled if a cancel
 * was requested, queued again while attempts are left, else failed as `lost`.
 * `reason` says what happened to the runner, in words that fit after "because".
 */
export function decideAbandon(
  row: {
    cancel_requested_at: number | null;
    attempts: number;
    max_attempts: number;
    error_code: FailureCode | null;
    error_message: string | null;
  },
  reason: string,
): AbandonDecision {
  const tally = `${row.attempts} of ${row.max_attempts}`;
  if (stoppedByBudget(row)) {
    return { status: 'failed', error: { code: 'budget_exceeded', message: row.error_message ?? BUDGET_SPENT } };
  }
  if (row.cancel_requested_at !== null) {
    return {
      status: 'cancelled',
      error: { code: 'cancelled', message: `Cancelled while it ran; its runner was gone because ${reason}.` },
    };
  }
  if (row.attempts < row.max_attempts) {
    return {
      status: 'pending',
      error: { code: 'lost', message: `Attempt ${tally} was lost because ${reason}; the task will run again.` },
    };
  }
  return {
    status: 'failed',
    error: { code: 'lost', message: `The task was lost because ${reason}, and no attempts are left (${tally}).` },
  };
}

/** Why the tasks after `identifier` were skipped, for their error_message. */
export function skipReason(ended: { identifier: string; status: TaskStatus }): string {
  return `Skipped: it depends, directly or through other tasks, on task "${ended.identifier}", which ended ${ended.status}.`;
}

export const CANCELLED_ORCHESTRATION_REASON = 'Skipped: its orchestration was cancelled.';

/** A task ending in one of these skips its descendants under skip_dependents. */
export function skipsDescendants(status: TaskStatus, policy: FailurePolicy): boolean {
  return policy === 'skip_dependents' && status !== 'completed';
}

/**
 * How a failed run ends: queued again after `retryDelayMs` while attempts
 * are left (null: never retried), else failed. Once a cancel is requested
 * nobody wants the task run again.
 */
export function decideFailure(
  row: { attempts: number; max_attempts: number; cancel_requested_at: number | null },
  failure: FailureRecord,
  retryDelayMs: number | null,
): RunEnd & { status: 'pending' | 'failed' } {
  const retry = retryDelayMs !== null && row.attempts < row.max_attempts && row.cancel_requested_at === null;
  return {
    status: retry ? 'pending' : 'failed',
    ...(retry ? { runAfterMs: retryDelayMs } : {}),
    // Kept on a retried task too: it says why the task is waiting.
    error: { code: failure.error_code, message: failure.error_message },
    finalSummary: failure.final_summary ?? null,
    stats: failure,
    attempt: { outcome: 'failed', error: failure.error_message },
  };
}

const BUDGET_SPENT = "its orchestration's budget was spent";

/** Why the tasks of an orchestration were skipped or stopped once its tasks had spent its budget. */
export function budgetReasons(budget: { budget_usd: number; spent_usd: number }): { skipped: string; stopped: string } {
  const spent = `${BUDGET_SPENT}: $${budget.spent_usd.toFixed(4)} of its $${budget.budget_usd} budget_usd`;
  return { skipped: `Skipped: ${spent}.`, stopped: `Stopped while it ran: ${spent}.` };
}
