/**
 * The steps every end of a run shares (complete, fail, cancel, abandon,
 * reap): check that the lease still owns the task, move the task out of
 * `running`, and close the attempt.
 */
import { isTerminal } from '../../core/task.js';
import type { RunEnd } from '../run-end.js';
import type { Lease } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { statsParams } from '../sql/tasks.js';
import { settleDependents } from './dependents.js';
import { LEASE_CLEARED, leaseParams, OWNED_BY_LEASE, STATS_ASSIGNMENTS, type TaskRow } from './row.js';

export const SELECT_OWNED = `SELECT * FROM tasks WHERE ${OWNED_BY_LEASE}`;

/**
 * Runs `fn` with the task's row, inside one write transaction, if `lease`
 * still owns the task; null (and nothing written) when it does not.
 */
export function whileOwned<T>(ctx: SqliteContext, lease: Lease, fn: (row: TaskRow) => T): T | null {
  return ctx.immediate(() => {
    const row = ctx.statement(SELECT_OWNED).get(leaseParams(lease)) as TaskRow | undefined;
    return row ? fn(row) : null;
  });
}

const END_RUN = `
  UPDATE tasks
     SET status = @status,
         ended_at = @ended_at,
         run_at = COALESCE(@run_at, run_at),
         final_summary = COALESCE(@final_summary, final_summary),
         error_code = CASE WHEN @keep_error THEN error_code ELSE @error_code END,
         error_message = CASE WHEN @keep_error THEN error_message ELSE @error_message END,
         ${STATS_ASSIGNMENTS},
         ${LEASE_CLEARED}
   WHERE id = @task_id`;

const END_ATTEMPT = `
  UPDATE task_attempts SET ended_at = @now, outcome = @outcome, error = @error
   WHERE task_id = @task_id AND lease_token = @token`;

/** Call inside `whileOwned` (or another transaction that checked ownership). */
export function endRun(ctx: SqliteContext, lease: Lease, end: RunEnd): void {
  const now = ctx.now();
  ctx.statement(END_RUN).run({
    ...leaseParams(lease),
    ...statsParams(end.stats),
    status: end.status,
    // A task back in the queue has not ended.
    ended_at: end.status === 'pending' ? null : now,
    run_at: end.runAfterMs === undefined ? null : now + end.runAfterMs,
    final_summary: end.finalSummary ?? null,
    keep_error: end.error === undefined ? 1 : 0,
    error_code: end.error?.code ?? null,
    error_message: end.error?.message ?? null,
  });
  ctx.statement(END_ATTEMPT).run({ ...leaseParams(lease), now, ...end.attempt });
  if (isTerminal(end.status)) settleDependents(ctx, lease.taskId);
}
