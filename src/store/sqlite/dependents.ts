/**
 * Moving a graph on when one of its tasks ended: under skip_dependents the
 * tasks after one that did not complete are skipped, and the tasks whose
 * dependencies are all done become pending. Runs inside the transaction
 * that ended the task, so the graph is never left half moved.
 */
import type { FailurePolicy } from '../../core/orchestration.js';
import type { TaskStatus } from '../../core/task.js';
import { skipReason, skipsDescendants } from '../decisions.js';
import { ENDED_TASK_IN_GRAPH, promoteReadyDependents, skipDescendants } from '../sql/orchestrations.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const SKIP = skipDescendants(SQLITE_DIALECT);
const PROMOTE = promoteReadyDependents(SQLITE_DIALECT);

/** Call inside a write transaction, after `taskId` reached a terminal status. */
export function settleDependents(ctx: SqliteContext, taskId: number): void {
  const ended = ctx.statement(ENDED_TASK_IN_GRAPH).get({ task_id: taskId }) as
    { identifier: string; status: TaskStatus; failure_policy: FailurePolicy } | undefined;
  if (!ended) return;
  const now = ctx.now();
  if (skipsDescendants(ended.status, ended.failure_policy)) {
    const skipped = ctx.statement(SKIP).all({ task_id: taskId, now, reason: skipReason(ended) }) as { id: number }[];
    ctx.moved.note(
      skipped.map((row) => row.id),
      'skipped',
    );
  }
  const promoted = ctx.statement(PROMOTE).all({ task_id: taskId, now, failure_policy: ended.failure_policy }) as { id: number }[];
  ctx.moved.note(
    promoted.map((row) => row.id),
    'pending',
  );
}
