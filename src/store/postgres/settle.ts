/**
 * How a runner ends the tasks it owns, besides completing them
 * (complete.ts): fail (maybe to be retried), release on shutdown, or record
 * a cancellation. Every one is fenced by the
 * lease and returns the task's new status, or null when the lease no longer
 * owns the task (nothing is written then).
 */
import type { RunStats, TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN, decideFailure, decideStoppedRun } from '../decisions.js';
import type { FailureRecord, Lease } from '../task-store.js';
import { notifyWork } from './notify.js';
import type { PostgresContext } from './pool.js';
import { DELETE_ATTEMPT, refundAttempt } from '../sql/tasks.js';
import { leaseParams, POSTGRES_DIALECT } from './row.js';
import { endRun, endTerminalRun, whileOwned } from './run-end.js';

export async function fail(
  ctx: PostgresContext,
  lease: Lease,
  failure: FailureRecord,
  retryDelayMs: number | null,
): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    const end = decideFailure(row, failure, retryDelayMs);
    await endRun(tx, lease, end);
    return end.status;
  });
}

/** Only a task of an orchestration can have been stopped by a budget: one on its own ends cancelled in one statement. */
export async function markCancelled(ctx: PostgresContext, lease: Lease, stats?: Partial<RunStats>): Promise<TaskStatus | null> {
  return endTerminalRun(ctx, lease, { ...CANCELLED_RUN, stats }, (row) => decideStoppedRun(row, stats));
}

const REFUND = refundAttempt(POSTGRES_DIALECT);

/**
 * Hands the task back without counting the attempt (a graceful shutdown is
 * not the task's fault). A task whose cancel was requested ends `cancelled`
 * instead: claims skip it, so as `pending` it would wait for ever.
 */
export async function release(ctx: PostgresContext, lease: Lease): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    if (row.cancel_requested_at !== null) {
      const end = decideStoppedRun(row);
      await endRun(tx, lease, end);
      return end.status;
    }
    await tx.run(REFUND, leaseParams(lease));
    await tx.run(DELETE_ATTEMPT, leaseParams(lease));
    await notifyWork(tx, lease.taskId);
    return 'pending';
  });
}
