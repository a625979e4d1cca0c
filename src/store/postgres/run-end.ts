/**
 * The steps every end of a run shares (complete, fail, cancel, abandon,
 * reap): check that the lease still owns the task, move the task out of
 * `running`, close the attempt, and hint other nodes when the task is queued
 * again.
 */
import { isTerminal, type FailureCode, type RunStats, type TaskStatus } from '../../core/task.js';
import { statsParams } from '../shared-rules.js';
import type { Lease } from '../task-store.js';
import { settleDependents } from './dependents.js';
import { notifyWork } from './notify.js';
import type { PostgresContext, Sql } from './pool.js';
import {
  LEASE_CLEARED,
  leaseParams,
  msInterval,
  OWNED_BY_LEASE,
  STATS_ASSIGNMENTS,
  TASK_COLUMNS,
  type TaskRow,
} from './row.js';

export type AttemptOutcome = 'completed' | 'failed' | 'cancelled' | 'lost';

// FOR UPDATE: a concurrent writer (the reaper, another node's late write)
// waits for this transaction, then finds the row no longer matches.
const SELECT_OWNED = `SELECT ${TASK_COLUMNS} FROM tasks WHERE ${OWNED_BY_LEASE} FOR UPDATE`;

/**
 * Runs `fn` with the task's row, inside one transaction holding the row's
 * lock, if `lease` still owns the task; null (and nothing written) when it
 * does not.
 */
export async function whileOwned<T>(
  ctx: PostgresContext,
  lease: Lease,
  fn: (tx: Sql, row: TaskRow) => Promise<T>,
): Promise<T | null> {
  return ctx.transaction(async (tx) => {
    const [row] = await tx.rows<TaskRow>(SELECT_OWNED, leaseParams(lease));
    return row ? fn(tx, row) : null;
  });
}

export interface RunEnd {
  status: Exclude<TaskStatus, 'running'>;
  /** A `pending` task may run again this long after now. */
  runAfterMs?: number;
  /** Becomes the task's last error; null clears it; absent keeps the one stored. */
  error?: { code: FailureCode; message: string } | null;
  finalSummary?: string | null;
  stats?: Partial<RunStats>;
  attempt: { outcome: AttemptOutcome; error: string | null };
}

// A task back in the queue has not ended.
const END_RUN = `
  UPDATE tasks
     SET status = @status,
         ended_at = CASE WHEN @status = 'pending' THEN NULL ELSE now() END,
         run_at = COALESCE(now() + ${msInterval('@run_after_ms')}, run_at),
         final_summary = COALESCE(@final_summary, final_summary),
         error_code = CASE WHEN @keep_error THEN error_code ELSE @error_code END,
         error_message = CASE WHEN @keep_error THEN error_message ELSE @error_message END,
         ${STATS_ASSIGNMENTS},
         ${LEASE_CLEARED}
   WHERE id = @task_id`;

const END_ATTEMPT = `
  UPDATE task_attempts SET ended_at = now(), outcome = @outcome, error = @error
   WHERE task_id = @task_id AND lease_token = @token`;

/** Call inside `whileOwned` (or another transaction that locked the owned row). */
export async function endRun(tx: Sql, lease: Lease, end: RunEnd): Promise<void> {
  await tx.run(END_RUN, {
    ...leaseParams(lease),
    ...statsParams(end.stats),
    status: end.status,
    run_after_ms: end.runAfterMs ?? null,
    final_summary: end.finalSummary ?? null,
    keep_error: end.error === undefined,
    error_code: end.error?.code ?? null,
    error_message: end.error?.message ?? null,
  });
  await tx.run(END_ATTEMPT, { ...leaseParams(lease), ...end.attempt });
  if (end.status === 'pending') await notifyWork(tx, lease.taskId);
  if (isTerminal(end.status)) await settleDependents(tx, lease.taskId);
}
