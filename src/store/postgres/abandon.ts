/**
 * Giving up on a running attempt whose runner is gone (found dead by startup
 * recovery, or silent past its lease): cancelled if a cancel was requested,
 * queued again after a delay while attempts are left, else failed as `lost`.
 */
import type { TaskStatus } from '../../core/task.js';
import type { Lease } from '../task-store.js';
import type { PostgresContext, Sql } from './pool.js';
import type { TaskRow } from './row.js';
import { endRun, whileOwned } from './run-end.js';

export async function abandon(
  ctx: PostgresContext,
  lease: Lease,
  reason: string,
  retryDelayMs: number,
): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, (tx, row) => abandonRow(tx, row, reason, retryDelayMs));
}

/**
 * Abandons a running row; call inside a transaction that locked it. `reason`
 * says what happened to the runner, in words that fit after "because": it
 * ends up in the task's error message.
 */
export async function abandonRow(tx: Sql, row: TaskRow, reason: string, retryDelayMs: number): Promise<TaskStatus> {
  const lease: Lease = { taskId: row.id, token: row.lease_token! };
  const attempt = { outcome: 'lost' as const, error: reason };
  const tally = `${row.attempts} of ${row.max_attempts}`;
  if (row.cancel_requested_at !== null) {
    await endRun(tx, lease, { status: 'cancelled', attempt });
    return 'cancelled';
  }
  if (row.attempts < row.max_attempts) {
    await endRun(tx, lease, {
      status: 'pending',
      runAfterMs: retryDelayMs,
      error: { code: 'lost', message: `Attempt ${tally} was lost because ${reason}; the task will run again.` },
      attempt,
    });
    return 'pending';
  }
  await endRun(tx, lease, {
    status: 'failed',
    error: { code: 'lost', message: `The task was lost because ${reason}, and no attempts are left (${tally}).` },
    attempt,
  });
  return 'failed';
}
