/**
 * Giving up on a running attempt whose runner is gone (found dead by startup
 * recovery, or silent past its lease): cancelled if a cancel was requested,
 * queued again after a delay while attempts are left, else failed as `lost`.
 */
import type { TaskStatus } from '../../core/task.js';
import { decideAbandon } from '../decisions.js';
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
  const decision = decideAbandon(row, reason);
  await endRun(tx, lease, {
    status: decision.status,
    ...(decision.status === 'pending' ? { runAfterMs: retryDelayMs } : {}),
    error: decision.error,
    attempt,
  });
  return decision.status;
}
