/**
 * The steps every end of a run shares (complete, fail, cancel, abandon,
 * reap): check that the lease still owns the task, move the task out of
 * `running`, close the attempt, and hint other nodes when the task is queued
 * again.
 */
import { isTerminal } from '../../core/task.js';
import type { RunEnd } from '../run-end.js';
import { statsParams } from '../sql/tasks.js';
import type { Lease } from '../task-store.js';
import { settleDependents } from './dependents.js';
import { notifyWork } from './notify.js';
import type { PostgresContext, Sql } from './pool.js';
import { LEASE_CLEARED, leaseParams, msInterval, OWNED_BY_LEASE, STATS_ASSIGNMENTS, TASK_COLUMNS, type TaskRow } from './row.js';

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

// A task back in the queue has not ended.
const END_RUN_ASSIGNMENTS = `
         status = @status,
         ended_at = CASE WHEN @status = 'pending' THEN NULL ELSE now() END,
         run_at = COALESCE(now() + ${msInterval('@run_after_ms')}, run_at),
         final_summary = COALESCE(@final_summary, final_summary),
         error_code = CASE WHEN @keep_error THEN error_code ELSE @error_code END,
         error_message = CASE WHEN @keep_error THEN error_message ELSE @error_message END,
         ${STATS_ASSIGNMENTS},
         ${LEASE_CLEARED}`;

const END_RUN = `UPDATE tasks SET ${END_RUN_ASSIGNMENTS} WHERE id = @task_id`;

const END_ATTEMPT_ASSIGNMENTS = 'ended_at = now(), outcome = @outcome, error = @error';

const END_ATTEMPT = `
  UPDATE task_attempts SET ${END_ATTEMPT_ASSIGNMENTS}
   WHERE task_id = @task_id AND lease_token = @token`;

// The fence sits in the UPDATE's WHERE: a concurrent writer (the reaper)
// holding the row makes it wait, and PostgreSQL then checks the WHERE again
// on the row that writer left, which no longer matches; as FOR UPDATE does.
const END_LONE_RUN = `
  WITH ended AS (
    UPDATE tasks SET ${END_RUN_ASSIGNMENTS}
     WHERE ${OWNED_BY_LEASE} AND orchestration_id IS NULL
    RETURNING id
  ), attempt AS (
    UPDATE task_attempts SET ${END_ATTEMPT_ASSIGNMENTS}
     WHERE task_id IN (SELECT id FROM ended) AND lease_token = @token
  )
  SELECT id FROM ended`;

function endRunParams(lease: Lease, end: RunEnd) {
  return {
    ...leaseParams(lease),
    ...statsParams(end.stats),
    status: end.status,
    run_after_ms: end.runAfterMs ?? null,
    final_summary: end.finalSummary ?? null,
    keep_error: end.error === undefined,
    error_code: end.error?.code ?? null,
    error_message: end.error?.message ?? null,
    ...end.attempt,
  };
}

/**
 * Ends a run in a terminal status, fenced by `lease`, and returns that
 * status; null (and nothing written) when the lease no longer owns the task.
 * A task in a graph ends as `inGraph` decides from its row, when given.
 *
 * A task outside a graph, as most are, ends in one autocommit statement; a
 * task in a graph moves its dependents in the same transaction, which takes
 * the six round trips of `whileOwned` + `endRun`. Round trips are what
 * bound a node on PostgreSQL: with this and the other round trips cut from a
 * run (see StoredLogs), no-op tasks went from ~210 to ~400 per second.
 */
export async function endTerminalRun(
  ctx: PostgresContext,
  lease: Lease,
  end: RunEnd,
  inGraph: (row: TaskRow) => RunEnd = () => end,
): Promise<RunEnd['status'] | null> {
  if ((await ctx.rows(END_LONE_RUN, endRunParams(lease, end))).length > 0) return end.status;
  return whileOwned(ctx, lease, async (tx, row) => {
    const decided = inGraph(row);
    await endRun(tx, lease, decided);
    return decided.status;
  });
}

/** Call inside `whileOwned` (or another transaction that locked the owned row). */
export async function endRun(tx: Sql, lease: Lease, end: RunEnd): Promise<void> {
  const params = endRunParams(lease, end);
  await tx.run(END_RUN, params);
  await tx.run(END_ATTEMPT, params);
  if (end.status === 'pending') await notifyWork(tx, lease.taskId);
  if (isTerminal(end.status)) await settleDependents(tx, lease.taskId);
}
