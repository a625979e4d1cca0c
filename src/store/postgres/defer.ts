/**
 * A run stopped by a usage limit: the task goes back to the queue until the
 * limit resets, and the queue pauses until then, in one transaction.
 */
import type { TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN } from '../decisions.js';
import { deferForLimit as deferStatement, pauseStatements, taskPausedEvent } from '../sql/queue-pause.js';
import { DELETE_ATTEMPT, statsParams } from '../sql/tasks.js';
import type { Lease, LimitRecord } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { eventParams, RECORD_EVENT } from './events.js';
import { pauseParams, recordPaused } from './queue-pause.js';
import { leaseParams, POSTGRES_DIALECT, STATS_ASSIGNMENTS } from './row.js';
import { endRun, whileOwned } from './run-end.js';

const DEFER = deferStatement(POSTGRES_DIALECT, STATS_ASSIGNMENTS);
const PAUSE = pauseStatements(POSTGRES_DIALECT).pause;

export async function deferForLimit(ctx: PostgresContext, lease: Lease, limit: LimitRecord): Promise<TaskStatus | null> {
  return whileOwned(ctx, lease, async (tx, row) => {
    const pause = pauseParams({ kind: 'usage_limit', reason: limit.reason, delayMs: limit.delayMs });
    await tx.run(PAUSE, pause);
    // Claims skip a task whose cancel was requested: as pending it would wait for ever.
    if (row.cancel_requested_at !== null) {
      await endRun(tx, lease, { ...CANCELLED_RUN, stats: limit.stats });
      await recordPaused(tx);
      return 'cancelled';
    }
    await tx.run(DEFER, {
      ...leaseParams(lease),
      ...statsParams(limit.stats),
      delay_ms: pause.delay_ms,
      error_message: limit.message,
    });
    await tx.run(DELETE_ATTEMPT, leaseParams(lease));
    // Last: recording takes the outbox lock, held to the commit.
    const paused = await recordPaused(tx);
    await tx.rows(RECORD_EVENT, eventParams(taskPausedEvent(lease.taskId, paused)));
    return 'pending';
  });
}
