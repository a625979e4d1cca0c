/**
 * Cancelling an orchestration: its waiting tasks are skipped first (so that
 * no cancel below promotes them), then each pending or running task is
 * cancelled the way a single task is.
 */
import { CANCELLED_ORCHESTRATION_REASON } from '../decisions.js';
import * as orchestrationSql from '../sql/orchestrations.js';
import { cancelRow } from './cancel.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import type { TaskRow } from './row.js';

const FLAG = orchestrationSql.flagOrchestrationCancelled(SQLITE_DIALECT);
const SKIP_WAITING = orchestrationSql.skipWaitingOfOrchestration(SQLITE_DIALECT);
const SELECT_TASK = `SELECT * FROM tasks WHERE id = ?`;

/** Returns the ids of the tasks asked to stop (they were running), or null when there is no such orchestration. */
export function cancelOrchestration(ctx: SqliteContext, orchestrationId: number): number[] | null {
  return ctx.immediate(() => {
    const params = { orchestration_id: orchestrationId, now: ctx.now() };
    if (!ctx.statement(FLAG).get(params)) return null;
    const skipped = ctx.statement(SKIP_WAITING).all({ ...params, reason: CANCELLED_ORCHESTRATION_REASON }) as { id: number }[];
    ctx.moved.note(
      skipped.map((row) => row.id),
      'skipped',
    );
    const stopping: number[] = [];
    for (const { id } of ctx.statement(orchestrationSql.UNFINISHED_TASK_IDS_OF_ORCHESTRATION).all(params) as { id: number }[]) {
      const { outcome } = cancelRow(ctx, ctx.statement(SELECT_TASK).get(id) as TaskRow);
      ctx.moved.note([id], outcome === 'cancelled' ? 'cancelled' : 'running');
      if (outcome === 'cancel_requested') stopping.push(id);
    }
    return stopping;
  });
}
