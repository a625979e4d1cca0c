/**
 * What happens to a task, decided the same way on both databases: a lost
 * run, a skipped dependent. Each store only writes the decision.
 */
import type { FailurePolicy } from '../core/orchestration.js';
import type { TaskStatus } from '../core/task.js';

export type AbandonDecision =
  | { status: Extract<TaskStatus, 'cancelled'> }
  | { status: Extract<TaskStatus, 'pending' | 'failed'>; message: string };

/**
 * What becomes of a running task whose runner is gone: cancelled if a cancel
 * was requested, queued again while attempts are left, else failed as `lost`.
 * `reason` says what happened to the runner, in words that fit after "because".
 */
export function decideAbandon(
  row: { cancel_requested_at: number | null; attempts: number; max_attempts: number },
  reason: string,
): AbandonDecision {
  const tally = `${row.attempts} of ${row.max_attempts}`;
  if (row.cancel_requested_at !== null) return { status: 'cancelled' };
  if (row.attempts < row.max_attempts) {
    return { status: 'pending', message: `Attempt ${tally} was lost because ${reason}; the task will run again.` };
  }
  return { status: 'failed', message: `The task was lost because ${reason}, and no attempts are left (${tally}).` };
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
