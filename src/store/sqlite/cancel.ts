/**
 * Cancel requests: a pending (or waiting) task ends at once; a running one
 * is flagged for its runner.
 */
import { CANCELLED_BEFORE_START_PARAMS } from '../decisions.js';
import type { CancelOutcome, TaskRecord } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { settleDependents } from './dependents.js';
import { toTaskRecord, type TaskRow } from './row.js';

const SELECT = `SELECT * FROM tasks WHERE id = ?`;

const CANCEL_NOT_STARTED = `
  UPDATE tasks SET status = 'cancelled', cancel_requested_at = @now, ended_at = @now,
                   error_code = @error_code, error_message = @error_message
   WHERE id = @id AND status IN ('pending', 'waiting')
  RETURNING *`;

// COALESCE: asking again keeps the time of the first request.
const FLAG_RUNNING = `
  UPDATE tasks SET cancel_requested_at = COALESCE(cancel_requested_at, @now)
   WHERE id = @id AND status = 'running'
  RETURNING *`;

export function requestCancel(ctx: SqliteContext, taskId: number): { task: TaskRecord; outcome: CancelOutcome } | null {
  const result = ctx.immediate(() => {
    const row = ctx.statement(SELECT).get(taskId) as TaskRow | undefined;
    return row ? cancelRow(ctx, row) : null;
  });
  return result && { task: toTaskRecord(result.row), outcome: result.outcome };
}

/** Cancels the task of `row`; call inside a write transaction that read it. */
export function cancelRow(ctx: SqliteContext, row: TaskRow): { row: TaskRow; outcome: CancelOutcome } {
  const params = { id: row.id, now: ctx.now() };
  switch (row.status) {
    case 'pending':
    case 'waiting': {
      const cancelled = ctx.statement(CANCEL_NOT_STARTED).get({ ...params, ...CANCELLED_BEFORE_START_PARAMS }) as TaskRow;
      settleDependents(ctx, row.id);
      return { row: cancelled, outcome: 'cancelled' };
    }
    case 'running':
      return { row: ctx.statement(FLAG_RUNNING).get(params) as TaskRow, outcome: 'cancel_requested' };
    default:
      return { row, outcome: 'already_ended' };
  }
}
