/**
 * The queue pause's statements for either database, the usage-limit deferral
 * of a running task, and the day's spend. One row at most (`id = 1`).
 */
import type { Dialect } from '../dialect.js';
import type { NewEvent } from '../event-records.js';
import type { QueuePauseRecord } from '../task-records.js';
import { LEASE_CLEARED } from './tasks.js';

export function pauseStatements(d: Dialect) {
  const columns = `kind, reason, ${d.epochMs('paused_at')} AS paused_at, ${d.epochMs('paused_until')} AS paused_until,
             probe_task_id, ${d.epochMs('probe_started_at')} AS probe_started_at`;
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
    read: `SELECT ${columns} FROM queue_pause WHERE id = 1`,
    // The pause before a write, and the database's now: whether the write is news (see pausedEvent).
    readBefore: `SELECT ${d.epochMs('paused_until')} AS paused_until, ${d.epochMs(d.now)} AS now FROM queue_pause WHERE id = 1`,
    // Returns the pause lifted: only the transaction that deleted it reports queue.resumed.
    lift: `DELETE FROM queue_pause WHERE id = 1 RETURNING ${columns}`,
    // Tasks a limit sent back wait for its reset; lifted by hand, they may start now.
    releaseDeferred: `
      UPDATE tasks SET run_at = ${d.now}
       WHERE status = 'pending' AND error_code = 'usage_limit' AND run_at > ${d.now}`,
    // Only once the pause is over: a new limit report in between started the probing over.
    probeThrough: `
      DELETE FROM queue_pause
       WHERE id = 1 AND probe_task_id = @task_id AND paused_until <= ${d.now}
      RETURNING ${columns}`,
    // What every task that ended today (UTC) cost: the figure the daily budget caps.
    spentToday: `SELECT COALESCE(SUM(cost_usd), 0) AS spent FROM tasks WHERE ended_at >= ${d.utcDayStart('0')}`,
  };
}

/** The pause as a write found it (see `readBefore`); absent when there was none. */
export interface PauseBefore {
  paused_until: number | string;
  now: number | string;
}

/**
 * A pause that ends later than it did by less than this is no news: runners
 * that hit the limit together each report the same reset, moments apart.
 */
const PAUSE_NEWS_MS = 60_000;

function pauseData(pause: QueuePauseRecord) {
  return { paused_until: new Date(Number(pause.paused_until)).toISOString(), reason: pause.reason, kind: pause.kind };
}

/**
 * `queue.paused` when a write started a pause (there was none, or it was
 * over and its probe running) or put its end off; null when it only
 * repeated one already known.
 */
export function pausedEvent(before: PauseBefore | undefined, after: QueuePauseRecord): NewEvent | null {
  const news =
    before === undefined ||
    Number(before.paused_until) <= Number(before.now) ||
    Number(after.paused_until) - Number(before.paused_until) >= PAUSE_NEWS_MS;
  return news ? { type: 'queue.paused', data: pauseData(after) } : null;
}

/** A pause as a write left it, and its queue.paused event when the write was news. */
export interface PauseWritten {
  pause: QueuePauseRecord;
  news: NewEvent | null;
}

/** `task.paused`: a usage limit sent the running task back to the queue until `pause` ends. */
export function taskPausedEvent(taskId: number, pause: QueuePauseRecord): NewEvent {
  const { paused_until, reason } = pauseData(pause);
  return { type: 'task.paused', taskId, data: { paused_until, reason } };
}

/** `queue.resumed`: the pause was lifted by hand (`resume`) or its probe got through (`probe`). */
export function resumedEvent(lifted: QueuePauseRecord, by: 'resume' | 'probe'): NewEvent {
  return { type: 'queue.resumed', data: { ...pauseData(lifted), lifted_by: by } };
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
