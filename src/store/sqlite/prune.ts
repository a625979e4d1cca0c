/** Retention: deletes terminal tasks past their age, a batch per transaction. */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RetentionPolicy } from '../task-store.js';
import type { SqliteContext } from './context.js';

// Attempt rows go with their task (ON DELETE CASCADE). INDEXED BY: without
// statistics SQLite walks every terminal row through the (status, id) index;
// on 100k tasks with nothing old enough that took 19 ms per batch instead of
// 0.05 ms through the ended_at index.
const DELETE_BATCH = `
  DELETE FROM tasks WHERE id IN (
    SELECT id FROM tasks INDEXED BY tasks_ended
     WHERE ended_at < @finished_before AND status IN ('completed', 'cancelled')
        OR ended_at < @failed_before AND status = 'failed'
     LIMIT @batch_size)`;

/**
 * Small batches keep each write lock short, so runners and submitters in
 * other processes are not held up by a large clean-up; between batches the
 * event loop gets a turn.
 */
export async function prune(ctx: SqliteContext, policy: RetentionPolicy, batchSize: number): Promise<number> {
  const now = ctx.now();
  const params = {
    finished_before: now - policy.finishedMaxAgeMs,
    failed_before: now - policy.failedMaxAgeMs,
    batch_size: batchSize,
  };
  let deleted = 0;
  for (;;) {
    const { changes } = ctx.immediate(() => ctx.statement(DELETE_BATCH).run(params));
    deleted += changes;
    if (changes === 0 || changes < batchSize) return deleted;
    await yieldToEventLoop();
  }
}
