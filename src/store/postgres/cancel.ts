/** Cancel requests: a pending task ends at once; a running one is flagged for its runner. */
import type { CancelOutcome } from '../task-store.js';
import { notifyCancel } from './notify.js';
import type { PostgresContext } from './pool.js';
import { isTaskId, TASK_COLUMNS, type TaskRow } from './row.js';

// FOR UPDATE: a claim in progress either took the row first (then this sees
// it running) or skips it (SKIP LOCKED) and never runs a cancelled task.
const SELECT = `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = @id FOR UPDATE`;

const CANCEL_PENDING = `
  UPDATE tasks SET status = 'cancelled', cancel_requested_at = now(), ended_at = now()
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
): Promise<{ row: TaskRow; outcome: CancelOutcome } | null> {
  if (!isTaskId(taskId)) return null;
  return ctx.transaction(async (tx) => {
    const [found] = await tx.rows<TaskRow>(SELECT, { id: taskId });
    if (!found) return null;
    switch (found.status) {
      case 'pending': {
        const [row] = await tx.rows<TaskRow>(CANCEL_PENDING, { id: taskId });
        return { row: row!, outcome: 'cancelled' };
      }
      case 'running': {
        const [row] = await tx.rows<TaskRow>(FLAG_RUNNING, { id: taskId });
        // The runner may be on another node: the hint reaches it at once, its next heartbeat for sure.
        await notifyCancel(tx, taskId);
        return { row: row!, outcome: 'cancel_requested' };
      }
      default:
        return { row: found, outcome: 'already_ended' };
    }
  });
}
