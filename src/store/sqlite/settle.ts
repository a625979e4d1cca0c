/**
 * How a runner ends the tasks it owns: complete, fail (maybe to be retried),
 * release on shutdown, or record a cancellation. Every one is fenced by the
 * lease and returns the task's new status, or null when the lease no longer
 * owns the task (nothing is written then).
 */
import type { RunStats, TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN } from '../decisions.js';
import type { CompletedResult, FailureRecord, Lease } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { LEASE_CLEARED, leaseParams } from './row.js';
import { endRun, whileOwned } from './run-end.js';

export function complete(ctx: SqliteContext, lease: Lease, result: CompletedResult): TaskStatus | null {
  return whileOwned(ctx, lease, () => {
    // Success makes the errors of earlier attempts moot.
    endRun(ctx, lease, {
      status: 'completed',
      error: null,
      finalSummary: result.final_summary,
      stats: result,
      attempt: { outcome: 'completed', error: null },
    });
    return 'completed';
  });
}

export function fail(
  ctx: SqliteContext,
  lease: Lease,
  failure: FailureRecord,
  retryDelayMs: number | null,
): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    // Once a cancel is requested nobody wants the task run again.
    const retry = retryDelayMs !== null && row.attempts < row.max_attempts && row.cancel_requested_at === null;
    const status = retry ? 'pending' : 'failed';
    endRun(ctx, lease, {
      status,
      ...(retry ? { runAt: ctx.now() + retryDelayMs } : {}),
      // Kept on a retried task too: it says why the task is waiting.
      error: { code: failure.error_code, message: failure.error_message },
      finalSummary: failure.final_summary ?? null,
      stats: failure,
      attempt: { outcome: 'failed', error: failure.error_message },
    });
    return status;
  });
}

export function markCancelled(ctx: SqliteContext, lease: Lease, stats?: Partial<RunStats>): TaskStatus | null {
  return whileOwned(ctx, lease, () => {
    endRun(ctx, lease, { ...CANCELLED_RUN, stats });
    return 'cancelled';
  });
}

// The refunded attempt never happened: started_at goes back to the previous
// attempt's start (NULL when there was none).
const REFUND = `
  UPDATE tasks
     SET status = 'pending',
         run_at = @now,
         attempts = attempts - 1,
         started_at = (SELECT started_at FROM task_attempts a
                        WHERE a.task_id = tasks.id AND a.attempt = tasks.attempts - 1),
         ${LEASE_CLEARED}
   WHERE id = @task_id`;

const DELETE_ATTEMPT = `DELETE FROM task_attempts WHERE task_id = @task_id AND lease_token = @token`;

/**
 * Hands the task back without counting the attempt (a graceful shutdown is
 * not the task's fault). A task whose cancel was requested ends `cancelled`
 * instead: claims skip it, so as `pending` it would wait for ever.
 */
export function release(ctx: SqliteContext, lease: Lease): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    if (row.cancel_requested_at !== null) {
      endRun(ctx, lease, CANCELLED_RUN);
      return 'cancelled';
    }
    ctx.statement(REFUND).run({ ...leaseParams(lease), now: ctx.now() });
    ctx.statement(DELETE_ATTEMPT).run(leaseParams(lease));
    return 'pending';
  });
}
