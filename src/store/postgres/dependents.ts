/**
 * Moving a graph on when one of its tasks ended: under skip_dependents the
 * tasks after one that did not complete are skipped, and the tasks whose
 * dependencies are all done become pending. Runs inside the transaction
 * that ended the task, so the graph is never left half moved.
 */
import type { FailurePolicy } from '../../core/orchestration.js';
import type { TaskStatus } from '../../core/task.js';
import { skipReason, skipsDescendants } from '../decisions.js';
import { DESCENDANT_IDS, ENDED_TASK_IN_GRAPH, promoteReadyDependents, skipDescendants } from '../sql/orchestrations.js';
import { notifyWork } from './notify.js';
import type { Sql } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const SKIP = skipDescendants(POSTGRES_DIALECT);
const PROMOTE = promoteReadyDependents(POSTGRES_DIALECT);

// Two dependencies of one task may end at the same moment in two
// transactions; under READ COMMITTED neither would see the other's end and
// the task would wait for ever. Locking the tasks after the ended one (in id
// order, so two such transactions cannot deadlock) makes the second wait for
// the first, and its statements then read the first one's outcome.
const LOCK_DESCENDANTS = `SELECT id FROM tasks WHERE id IN (${DESCENDANT_IDS}) ORDER BY id FOR UPDATE`;

/** Call inside a transaction, after `taskId` reached a terminal status. */
export async function settleDependents(tx: Sql, taskId: number): Promise<void> {
  const [ended] = await tx.rows<{ identifier: string; status: TaskStatus; failure_policy: FailurePolicy }>(ENDED_TASK_IN_GRAPH, {
    task_id: taskId,
  });
  if (!ended) return;
  await tx.rows(LOCK_DESCENDANTS, { task_id: taskId });
  if (skipsDescendants(ended.status, ended.failure_policy)) {
    const skipped = await tx.rows<{ id: number }>(SKIP, { task_id: taskId, reason: skipReason(ended) });
    tx.moved.note(
      skipped.map((row) => row.id),
      'skipped',
    );
  }
  const promoted = await tx.rows<{ id: number }>(PROMOTE, { task_id: taskId, failure_policy: ended.failure_policy });
  tx.moved.note(
    promoted.map((row) => row.id),
    'pending',
  );
  // Runners on other nodes hear of the new work at once.
  if (promoted.length > 0) await notifyWork(tx, promoted[0]!.id);
}
