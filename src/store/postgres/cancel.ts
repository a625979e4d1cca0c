/**
 * Cancel requests: a pending (or waiting) task ends at once; a running one
 * is flagged for its runner.
 */
import { CANCELLED_BEFORE_START_PARAMS } from '../decisions.js';
import type { CancelOutcome, TaskRecord } from '../task-store.js';
import { settleDependents } from './dependents.js';
import { notifyCancel } from './notify.js';
import type { PostgresContext, Sql } from './pool.js';
import { isTaskId, TASK_COLUMNS, toTaskRecord, type TaskRow } from './row.js';

// FOR UPDATE: a claim in progress either took the row first (then this sees
// it running) or skips it (SKIP LOCKED) and never runs a cancelled task.
const SELECT = `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = @id FOR UPDATE`;

const CANCEL_NOT_STARTED = `
  UPDATE tasks SET status = 'cancelled', cancel_requested_at = now(), ended_at = now(),
                   error_code = @error_code, error_message = @error_message
   WHERE id = @id
  RETURNING ${TASK_COLUMNS}`;

// COALESCE: asking again keeps the time of the first request.
const FLAG_RUNNING = `
  UPDATE tasks SET cancel_requested_at = COALESCE(cancel_requested_at, now())
   WHERE id = @id
  RETURNING ${TASK_COLUMNS}`;

export async function requestCancel(
  ctx: PostgresContext,
  taskId: number,
): Promise<{ task: TaskRecord; outcome: CancelOutcome } | null> {
  if (!isTaskId(taskId)) return null;
  const result = await ctx.transaction(async (tx) => {
    const [found] = await tx.rows<TaskRow>(SELECT, { id: taskId });
    return found ? cancelRow(tx, found) : null;
  });
  return result && { task: toTaskRecord(result.row), outcome: result.outcome };
}

/** Cancels the task of `found`; call inside a transaction that locked its row. */
export async function cancelRow(tx: Sql, found: TaskRow): Promise<{ row: TaskRow; outcome: CancelOutcome }> {
  const params = { id: found.id };
  switch (found.status) {
    case 'pending':
    case 'waiting': {
      const [row] = await tx.rows<TaskRow>(CANCEL_NOT_STARTED, { ...params, ...CANCELLED_BEFORE_START_PARAMS });
      await settleDependents(tx, found.id);
      return { row: row!, outcome: 'cancelled' };
    }
    case 'running': {
      const [row] = await tx.rows<TaskRow>(FLAG_RUNNING, params);
      // The runner may be on another node: the hint reaches it at once, its next heartbeat for sure.
      await notifyCancel(tx, found.id);
      return { row: row!, outcome: 'cancel_requested' };
    }
    default:
      return { row: found, outcome: 'already_ended' };
  }
}
