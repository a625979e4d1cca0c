/** The reaper: abandons every running task whose runner stopped renewing its lease. */
import type { TaskStatus } from '../../core/task.js';
import { abandonRow } from './abandon.js';
import type { SqliteContext } from './context.js';
import type { TaskRow } from './row.js';

// A lease is valid strictly before lease_expires_at. INDEXED BY: see claim.ts.
const SELECT_EXPIRED = `
  SELECT * FROM tasks INDEXED BY tasks_lease_expiry
   WHERE status = 'running' AND lease_expires_at <= ?
   ORDER BY id`;

export function reapExpired(ctx: SqliteContext, retryDelayMs: number): { taskId: number; status: TaskStatus }[] {
  return ctx.immediate(() => {
    const expired = ctx.statement(SELECT_EXPIRED).all(ctx.now()) as TaskRow[];
    return expired.map((row) => ({
      taskId: row.id,
      status: abandonRow(ctx, row, `its runner (${row.lease_owner}) stopped renewing its lease`, retryDelayMs),
    }));
  });
}
