/**
 * A run stopped by a usage limit: the task goes back to the queue until the
 * limit resets, and the queue pauses until then, in one transaction.
 */
import type { TaskStatus } from '../../core/task.js';
import { CANCELLED_RUN } from '../decisions.js';
import { deferForLimit as deferStatement, pauseStatements, taskPausedEvent } from '../sql/queue-pause.js';
import { DELETE_ATTEMPT, statsParams } from '../sql/tasks.js';
import type { LimitRecord, Lease } from '../task-store.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { pauseParams, recordEventIn, recordPaused } from './queue-pause.js';
import { leaseParams, STATS_ASSIGNMENTS } from './row.js';
import { endRun, whileOwned } from './run-end.js';

const DEFER = deferStatement(SQLITE_DIALECT, STATS_ASSIGNMENTS);
const PAUSE = pauseStatements(SQLITE_DIALECT).pause;

export function deferForLimit(ctx: SqliteContext, lease: Lease, limit: LimitRecord): TaskStatus | null {
  return whileOwned(ctx, lease, (row) => {
    const now = ctx.now();
    const pause = pauseParams({ kind: 'usage_limit', reason: limit.reason, delayMs: limit.delayMs }, now);
    ctx.statement(PAUSE).run(pause);
    // Claims skip a task whose cancel was requested: as pending it would wait for ever.
    if (row.cancel_requested_at !== null) {
      endRun(ctx, lease, { ...CANCELLED_RUN, stats: limit.stats });
      recordPaused(ctx);
      return 'cancelled';
    }
    ctx.statement(DEFER).run({
      ...leaseParams(lease),
      ...statsParams(limit.stats),
      delay_ms: pause.delay_ms,
      error_message: limit.message,
      now,
    });
    ctx.statement(DELETE_ATTEMPT).run(leaseParams(lease));
    const paused = recordPaused(ctx);
    recordEventIn(ctx, taskPausedEvent(lease.taskId, paused));
    return 'pending';
  });
}
