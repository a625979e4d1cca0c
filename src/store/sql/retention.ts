/**
 * Retention statements both databases run as they are (see dialect.ts). A task on its
 * own goes once it is old enough for its status; an orchestration goes, with
 * all its tasks, once every one of them would: a graph is never shown with
 * holes. The cut-offs are the dialect's expressions for "ended before".
 */

/** Whether the task (columns of `tasks`) ended long enough ago for its status. */
export function prunableTask(finishedBefore: string, failedBefore: string): string {
  return `(ended_at < ${finishedBefore} AND status IN ('completed', 'cancelled', 'skipped')
        OR ended_at < ${failedBefore} AND status = 'failed')`;
}

/** Up to @batch_size orchestrations whose every task is prunable (a waiting or running one is not). */
export function prunableOrchestrations(finishedBefore: string, failedBefore: string): string {
  return `
  SELECT o.id FROM orchestrations o
   WHERE NOT EXISTS (
     SELECT 1 FROM tasks WHERE tasks.orchestration_id = o.id AND NOT ${prunableTask(finishedBefore, failedBefore)})
   ORDER BY o.id
   LIMIT @batch_size`;
}

/** Log lines, attempts and dependencies go with their task (ON DELETE CASCADE). */
export const DELETE_TASKS_OF_ORCHESTRATION = `DELETE FROM tasks WHERE orchestration_id = @id`;
export const DELETE_ORCHESTRATION = `DELETE FROM orchestrations WHERE id = @id`;
