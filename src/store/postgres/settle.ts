/**
 * How a runner ends the tasks it owns: complete, fail (maybe to be retried),
 * release on shutdown, or record a cancellation. Every one is fenced by the
 * lease and returns the task's new status, or null when the lease no longer
 * owns the task (nothing is written then).
 */
import type { RunStats, TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN } from '../decisions.js';
import type { CompletedResult, FailureRecord, Lease } from '../task-store.js';
import { notifyWork } from './notify.js';
import type { PostgresContext } from './pool.js';
import { LEASE_CLEARED, leaseParams } from './row.js';
import { endRun, endTerminalRun, whileOwned } from './run-end.js';

export async function complete(ctx: PostgresContext, lease: Lease, result: CompletedResult): Promise<TaskStatus | null> {
  const ended = await endTerminalRun(ctx, lease, {
    status: 'completed',
    // Success makes the errors of earlier attempts moot.
    error: null,
    finalSummary: result.final_summary,
    stats: result,
    attempt: { outcome: 'completed', error: null },
  });
  return ended ? 'completed' : null;
}

export async function fail(
  ctx: PostgresContext,
  lease: Lease,
  failure: FailureRecord,
  retryDelayMs: number | null,
): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    // Once a cancel is requested nobody wants the task run again.
    const retry = retryDelayMs !== null && row.attempts < row.max_attempts && row.cancel_requested_at === null;
    const status = retry ? 'pending' : 'failed';
    await endRun(tx, lease, {
      status,
      ...(retry ? { runAfterMs: retryDelayMs } : {}),
      // Kept on a retried task too: it says why the task is waiting.
      error: { code: failure.error_code, message: failure.error_message },
      finalSummary: failure.final_summary ?? null,
      stats: failure,
      attempt: { outcome: 'failed', error: failure.error_message },
    });
    return status;
  });
}

export async function markCancelled(
  ctx: PostgresContext,
  lease: Lease,
  stats?: Partial<RunStats>,
): Promise<TaskStatus | null> {
  const ended = await endTerminalRun(ctx, lease, { ...CANCELLED_RUN, stats });
  return ended ? 'cancelled' : null;
}

// The refunded attempt never happened: started_at goes back to the previous
// attempt's start (NULL when there was none).
const REFUND = `
  UPDATE tasks
     SET status = 'pending',
         run_at = now(),
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
export async function release(ctx: PostgresContext, lease: Lease): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    if (row.cancel_requested_at !== null) {
      await endRun(tx, lease, CANCELLED_RUN);
      return 'cancelled';
    }
    await tx.run(REFUND, leaseParams(lease));
    await tx.run(DELETE_ATTEMPT, leaseParams(lease));
    await notifyWork(tx, lease.taskId);
    return 'pending';
  });
}
