/** Retention: deletes terminal tasks past their age, a batch per statement, and whole orchestrations. */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DELETE_ORCHESTRATION, DELETE_TASKS_OF_ORCHESTRATION, prunableOrchestrations, prunableTask } from '../sql/retention.js';
import type { RetentionPolicy } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { msInterval } from './row.js';

const FINISHED_BEFORE = `now() - ${msInterval('@finished_max_age_ms')}`;
const FAILED_BEFORE = `now() - ${msInterval('@failed_max_age_ms')}`;

// SKIP LOCKED: two nodes pruning at once split the work instead of waiting
// for each other.
const DELETE_LONE_BATCH = `
  DELETE FROM tasks WHERE id IN (
    SELECT id FROM tasks
     WHERE orchestration_id IS NULL AND ${prunableTask(FINISHED_BEFORE, FAILED_BEFORE)}
     LIMIT @batch_size
       FOR UPDATE SKIP LOCKED)`;

const SELECT_ORCHESTRATIONS = prunableOrchestrations(FINISHED_BEFORE, FAILED_BEFORE);

/**
 * Small batches, each its own autocommit statement or short transaction,
 * keep every lock short; between batches the event loop gets a turn.
 * Returns how many tasks were deleted.
 */
export async function prune(ctx: PostgresContext, policy: RetentionPolicy, batchSize: number): Promise<number> {
  const params = {
    finished_max_age_ms: policy.finishedMaxAgeMs,
    failed_max_age_ms: policy.failedMaxAgeMs,
    batch_size: batchSize,
  };
  let deleted = 0;
  for (;;) {
    const changed = await ctx.run(DELETE_LONE_BATCH, params);
    deleted += changed;
    if (changed < batchSize) break;
    await yieldToEventLoop();
  }
  for (;;) {
    const orchestrations = await ctx.rows<{ id: number }>(SELECT_ORCHESTRATIONS, params);
    for (const { id } of orchestrations) {
      // Its tasks are all ended, so nothing changes them any more: the check above still holds.
      deleted += await ctx.transaction(async (tx) => {
        const tasks = await tx.run(DELETE_TASKS_OF_ORCHESTRATION, { id });
        await tx.run(DELETE_ORCHESTRATION, { id });
        return tasks;
      });
    }
    if (orchestrations.length < batchSize) return deleted;
    await yieldToEventLoop();
  }
}
