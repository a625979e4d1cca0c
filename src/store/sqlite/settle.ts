/**
 * How a runner ends the tasks it owns, besides completing them
 * (complete.ts): fail (maybe to be retried), release on shutdown, or record
 * a cancellation. Every one is fenced by the
 * lease and returns the task's new status, or null when the lease no longer
 * owns the task (nothing is written then).
 */
import type { RunStats, TaskStatus } from '../../core/task.js';
import { decideFailure, decideStoppedRun } from '../decisions.js';
import type { FailureRecord, Lease } from '../task-store.js';
import { DELETE_ATTEMPT, refundAttempt } from '../sql/tasks.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { leaseParams } from './row.js';
import { endRun, whileOwned } from './run-end.js';

export function fail(ctx: SqliteContext, lease: Lease, failure: FailureRecord, retryDelayMs: number | null): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    const end = decideFailure(row, failure, retryDelayMs);
    endRun(ctx, lease, end);
    return end.status;
  });
}

export function markCancelled(ctx: SqliteContext, lease: Lease, stats?: Partial<RunStats>): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    const end = decideStoppedRun(row, stats);
    endRun(ctx, lease, end);
    return end.status;
  });
}

const REFUND = refundAttempt(SQLITE_DIALECT);

/**
 * Hands the task back without counting the attempt (a graceful shutdown is
 * not the task's fault). A task whose cancel was requested ends `cancelled`
 * instead: claims skip it, so as `pending` it would wait for ever.
 */
export function release(ctx: SqliteContext, lease: Lease): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    if (row.cancel_requested_at !== null) {
      const end = decideStoppedRun(row);
      endRun(ctx, lease, end);
      return end.status;
    }
    ctx.statement(REFUND).run({ ...leaseParams(lease), now: ctx.now() });
    ctx.statement(DELETE_ATTEMPT).run(leaseParams(lease));
    return 'pending';
  });
}
