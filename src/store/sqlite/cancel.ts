/** Cancel requests: a pending task ends at once; a running one is flagged for its runner. */
import type { CancelOutcome } from '../task-store.js';
import type { SqliteContext } from './context.js';
import type { TaskRow } from './row.js';

const SELECT = `SELECT * FROM tasks WHERE id = ?`;

const CANCEL_PENDING = `
  UPDATE tasks SET status = 'cancelled', cancel_requested_at = @now, ended_at = @now
   WHERE id = @id AND status = 'pending'
  RETURNING *`;

// COALESCE: asking again keeps the time of the first request.
const FLAG_RUNNING = `
  UPDATE tasks SET cancel_requested_at = COALESCE(cancel_requested_at, @now)
   WHERE id = @id AND status = 'running'
  RETURNING *`;

export function requestCancel(ctx: SqliteContext, taskId: number): { row: TaskRow; outcome: CancelOutcome } | null {
  return ctx.immediate(() => {
    const row = ctx.statement(SELECT).get(taskId) as TaskRow | undefined;
    if (!row) return null;
    const params = { id: taskId, now: ctx.now() };
    switch (row.status) {
      case 'pending':
        return { row: ctx.statement(CANCEL_PENDING).get(params) as TaskRow, outcome: 'cancelled' };
      case 'running':
        return { row: ctx.statement(FLAG_RUNNING).get(params) as TaskRow, outcome: 'cancel_requested' };
      default:
        return { row, outcome: 'already_ended' };
    }
  });
}
