/**
 * Cancelling an orchestration: its waiting tasks are skipped first (so that
 * no cancel below promotes them), then each pending or running task is
 * cancelled the way a single task is.
 */
import { CANCELLED_ORCHESTRATION_REASON } from '../decisions.js';
import * as orchestrationSql from '../sql/orchestrations.js';
import type { PostgresContext } from './pool.js';
import { cancelRow } from './cancel.js';
import { isTaskId, POSTGRES_DIALECT, TASK_COLUMNS, type TaskRow } from './row.js';

const FLAG = orchestrationSql.flagOrchestrationCancelled(POSTGRES_DIALECT);
const SKIP_WAITING = orchestrationSql.skipWaitingOfOrchestration(POSTGRES_DIALECT);
// Locked in id order, like every other path that locks several tasks of a graph.
const LOCK_TASKS = `SELECT ${TASK_COLUMNS} FROM tasks WHERE orchestration_id = @orchestration_id ORDER BY id FOR UPDATE`;

/** Returns the ids of the tasks asked to stop (they were running), or null when there is no such orchestration. */
export async function cancelOrchestration(ctx: PostgresContext, orchestrationId: number): Promise<number[] | null> {
  if (!isTaskId(orchestrationId)) return null;
  return ctx.transaction(async (tx) => {
    const params = { orchestration_id: orchestrationId };
    if ((await tx.rows(FLAG, params)).length === 0) return null;
    await tx.rows(LOCK_TASKS, params);
    const skipped = await tx.rows<{ id: number }>(SKIP_WAITING, { ...params, reason: CANCELLED_ORCHESTRATION_REASON });
    tx.moved.note(
      skipped.map((row) => row.id),
      'skipped',
    );
    const stopping: number[] = [];
    for (const { id } of await tx.rows<{ id: number }>(orchestrationSql.UNFINISHED_TASK_IDS_OF_ORCHESTRATION, params)) {
      const [row] = await tx.rows<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks WHERE id = @id`, { id });
      const { outcome } = await cancelRow(tx, row!);
      tx.moved.note([id], outcome === 'cancelled' ? 'cancelled' : 'running');
      if (outcome === 'cancel_requested') stopping.push(id);
    }
    return stopping;
  });
}
