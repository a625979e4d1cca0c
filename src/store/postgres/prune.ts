/** Retention: deletes terminal tasks past their age, a batch per statement. */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { RetentionPolicy } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { msInterval } from './row.js';

// Attempt rows go with their task (ON DELETE CASCADE). SKIP LOCKED: two nodes
// pruning at once split the work instead of waiting for each other.
const DELETE_BATCH = `
  DELETE FROM tasks WHERE id IN (
    SELECT id FROM tasks
     WHERE ended_at < now() - ${msInterval('@finished_max_age_ms')} AND status IN ('completed', 'cancelled')
        OR ended_at < now() - ${msInterval('@failed_max_age_ms')} AND status = 'failed'
     LIMIT @batch_size
       FOR UPDATE SKIP LOCKED)`;

/**
 * Small batches, each its own autocommit statement, keep every lock and
 * transaction short; between batches the event loop gets a turn.
 */
export async function prune(ctx: PostgresContext, policy: RetentionPolicy, batchSize: number): Promise<number> {
  const params = {
    finished_max_age_ms: policy.finishedMaxAgeMs,
    failed_max_age_ms: policy.failedMaxAgeMs,
    batch_size: batchSize,
  };
  let deleted = 0;
  for (;;) {
    const changed = await ctx.run(DELETE_BATCH, params);
    deleted += changed;
    if (changed === 0 || changed < batchSize) return deleted;
    await yieldToEventLoop();
  }
}
