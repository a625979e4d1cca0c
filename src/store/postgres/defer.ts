/**
 * A run stopped by a usage limit: the task goes back to the queue until the
 * limit resets, and the queue pauses until then, in one transaction that
 * also records task.paused (and queue.paused, when the pause is news), last.
 */
import type { TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN } from '../decisions.js';
import { deferForLimit as deferStatement, taskPausedEvent } from '../sql/queue-pause.js';
import { DELETE_ATTEMPT, statsParams } from '../sql/tasks.js';
import type { Lease, LimitRecord } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { recordEvent } from './events.js';
import { pauseParams, writePause } from './queue-pause.js';
import { leaseParams, POSTGRES_DIALECT, STATS_ASSIGNMENTS } from './row.js';
import { endRun, whileOwned } from './run-end.js';

const DEFER = deferStatement(POSTGRES_DIALECT, STATS_ASSIGNMENTS);

export async function deferForLimit(ctx: PostgresContext, lease: Lease, limit: LimitRecord): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    const pause = pauseParams({ kind: 'usage_limit', reason: limit.reason, delayMs: limit.delayMs });
    const written = await writePause(tx, pause);
    // Claims skip a task whose cancel was requested: as pending it would wait for ever.
    if (row.cancel_requested_at !== null) {
      await endRun(tx, lease, { ...CANCELLED_RUN, stats: limit.stats });
      if (written.news) await recordEvent(tx, written.news);
      return 'cancelled';
    }
    await tx.run(DEFER, {
      ...leaseParams(lease),
      ...statsParams(limit.stats),
      delay_ms: pause.delay_ms,
      error_message: limit.message,
    });
    await tx.run(DELETE_ATTEMPT, leaseParams(lease));
    await recordEvent(tx, taskPausedEvent(lease.taskId, written.pause));
    if (written.news) await recordEvent(tx, written.news);
    return 'pending';
  });
}
