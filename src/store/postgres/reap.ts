/** The reaper: abandons every running task whose runner stopped renewing its lease. */
import type { TaskStatus } from '../../core/task.js';
import { abandonRow } from './abandon.js';
import type { PostgresContext } from './pool.js';
import { TASK_COLUMNS, type TaskRow } from './row.js';

// A lease is valid strictly before lease_expires_at. Any node may reap at any
// time: SKIP LOCKED leaves a row another reaper (or its owner, renewing or
// ending it) holds to that transaction, so reapers never queue behind each
// other and never handle a row twice.
const SELECT_EXPIRED = `
  SELECT ${TASK_COLUMNS} FROM tasks
   WHERE status = 'running' AND lease_expires_at <= now()
   ORDER BY id
     FOR UPDATE SKIP LOCKED`;

export async function reapExpired(ctx: PostgresContext, retryDelayMs: number): Promise<{ taskId: number; status: TaskStatus }[]> {
  return ctx.transaction(async (tx) => {
    const expired = await tx.rows<TaskRow>(SELECT_EXPIRED);
    const reaped: { taskId: number; status: TaskStatus }[] = [];
    for (const row of expired) {
      const reason = `its runner (${row.lease_owner}) stopped renewing its lease`;
      reaped.push({ taskId: row.id, status: await abandonRow(tx, row, reason, retryDelayMs) });
    }
    return reaped;
  });
}
