/**
 * The queue pause's statements for either database, the usage-limit deferral
 * of a running task, and the day's spend. One row at most (`id = 1`).
 */
import type { Dialect } from '../dialect.js';
import type { NewEvent } from '../event-records.js';
import type { QueuePauseRecord } from '../task-records.js';
import { LEASE_CLEARED } from './tasks.js';

export function pauseStatements(d: Dialect) {
  return {
    // A pause that already lasts longer keeps its end and reason: two runners
    // that hit the limit at once must not shorten each other's pause. A new
    // report starts the probing over.
    pause: `
      INSERT INTO queue_pause (id, kind, reason, paused_at, paused_until, probe_task_id, probe_started_at)
      VALUES (1, @kind, @reason, ${d.now}, ${d.msAhead('@delay_ms')}, NULL, NULL)
      ON CONFLICT (id) DO UPDATE
         SET kind = CASE WHEN excluded.paused_until >= queue_pause.paused_until THEN excluded.kind ELSE queue_pause.kind END,
             reason = CASE WHEN excluded.paused_until >= queue_pause.paused_until THEN excluded.reason ELSE queue_pause.reason END,
             paused_until = CASE WHEN excluded.paused_until >= queue_pause.paused_until
                                 THEN excluded.paused_until ELSE queue_pause.paused_until END,
             probe_task_id = NULL,
             probe_started_at = NULL`,
    read: `
      SELECT kind, reason, ${d.epochMs('paused_at')} AS paused_at, ${d.epochMs('paused_until')} AS paused_until,
             probe_task_id, ${d.epochMs('probe_started_at')} AS probe_started_at
        FROM queue_pause WHERE id = 1`,
    lift: `DELETE FROM queue_pause WHERE id = 1`,
    // Tasks a limit sent back wait for its reset; lifted by hand, they may start now.
    releaseDeferred: `
      UPDATE tasks SET run_at = ${d.now}
       WHERE status = 'pending' AND error_code = 'usage_limit' AND run_at > ${d.now}`,
    // Only once the pause is over: a new limit report in between started the probing over.
    probeThrough: `
      DELETE FROM queue_pause
       WHERE id = 1 AND probe_task_id = @task_id AND paused_until <= ${d.now}`,
    // What every task that ended today (UTC) cost: the figure the daily budget caps.
    spentToday: `SELECT COALESCE(SUM(cost_usd), 0) AS spent FROM tasks WHERE ended_at >= ${d.utcDayStart('0')}`,
  };
}

/** The outbox event of a pause set (or lengthened): what it is and when it ends, as it now stands. */
export function queuePausedEvent(pause: QueuePauseRecord): NewEvent {
  return {
    type: 'queue.paused',
    data: { kind: pause.kind, reason: pause.reason, paused_until: new Date(pause.paused_until).toISOString() },
  };
}

/** The outbox event of a task a usage limit sent back to the queue until `until`. */
export function taskPausedEvent(taskId: number, pause: QueuePauseRecord): NewEvent {
  return {
    type: 'task.paused',
    taskId,
    data: { reason: pause.reason, paused_until: new Date(pause.paused_until).toISOString() },
  };
}

/**
 * The outbox event of a pause ended: lifted by hand (`resume`), or its probe
 * task got through. The probe is named in the data, not as the event's
 * task: the event is the queue's, not sent to that task's own webhook.
 */
export function queueResumedEvent(cause: 'resume' | 'probe_got_through', probeTaskId: number | null = null): NewEvent {
  return { type: 'queue.resumed', data: { cause, probe_task_id: probeTaskId } };
}

/**
 * Sends a running task back to the queue after a usage limit (the lease
 * holder's write; check ownership first): runnable again after the delay,
 * the attempt not counted (its row goes with DELETE_ATTEMPT) but the limit
 * hit is, and its session and figures kept so the next run resumes it.
 */
export function deferForLimit(d: Dialect, statsAssignments: string): string {
  return `
  UPDATE tasks
     SET status = 'pending',
         run_at = ${d.msAhead('@delay_ms')},
         attempts = attempts - 1,
         limit_hits = limit_hits + 1,
         started_at = (SELECT started_at FROM task_attempts a
                        WHERE a.task_id = tasks.id AND a.attempt = tasks.attempts - 1),
         error_code = 'usage_limit',
         error_message = @error_message,
         ${statsAssignments},
         ${LEASE_CLEARED}
   WHERE id = @task_id`;
}

/** How a claim treats the pause: claim nothing, only a probe, or as usual. */
export type PauseGate = 'closed' | 'probe' | 'open';

/**
 * Before `paused_until` nothing is claimed. After it, one task goes first;
 * while it has not got through (for up to one lease: a probe whose runner
 * died is replaced), nothing else is claimed.
 */
export function pauseGate(pause: QueuePauseRecord | null, now: number, leaseMs: number): PauseGate {
  if (!pause) return 'open';
  if (pause.paused_until > now) return 'closed';
  if (pause.probe_task_id !== null && pause.probe_started_at !== null && pause.probe_started_at + leaseMs > now) {
    return 'closed';
  }
  return 'probe';
}

export const SET_PROBE = (d: Dialect) =>
  `UPDATE queue_pause SET probe_task_id = @task_id, probe_started_at = ${d.now} WHERE id = 1`;
