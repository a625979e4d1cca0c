/**
 * What the SQLite and PostgreSQL stores decide and map the same way; each
 * store keeps only its SQL.
 */
import type { RunStats, TaskStatus } from '../core/task.js';
import type { WorkerProfile, WorkerState } from '../core/worker.js';
import type { RunningAttempt, WorkerRecord } from './task-store.js';

/**
 * Agent figures as statement parameters. A figure that is absent stays null,
 * and the SQL keeps the stored value for it (`COALESCE`).
 */
export function statsParams(stats: Partial<RunStats> = {}): Record<keyof RunStats, string | number | null> {
  return {
    cost_usd: stats.cost_usd ?? null,
    usage: stats.usage ? JSON.stringify(stats.usage) : null,
    num_turns: stats.num_turns ?? null,
    duration_ms: stats.duration_ms ?? null,
    session_id: stats.session_id ?? null,
    api_key_source: stats.api_key_source ?? null,
  };
}

/** The columns both stores select for a running attempt (tasks joined with the current attempt row). */
export interface RunningAttemptRow {
  id: number;
  lease_token: string;
  attempt: number;
  worker_id: string;
  host: string;
  boot_id: string;
  worker_pid: number;
  worker_start_time: string | null;
  agent_pid: number | null;
  agent_pgid: number | null;
  agent_start_time: string | null;
}

export function toRunningAttempt(row: RunningAttemptRow): RunningAttempt {
  return {
    lease: { taskId: row.id, token: row.lease_token },
    attempt: row.attempt,
    worker: {
      id: row.worker_id,
      host: row.host,
      bootId: row.boot_id,
      pid: row.worker_pid,
      procStartTime: row.worker_start_time,
    },
    agent:
      row.agent_pid === null || row.agent_pgid === null
        ? null
        : { pid: row.agent_pid, pgid: row.agent_pgid, procStartTime: row.agent_start_time },
  };
}

export type AbandonDecision =
  | { status: Extract<TaskStatus, 'cancelled'> }
  | { status: Extract<TaskStatus, 'pending' | 'failed'>; message: string };

/**
 * What becomes of a running task whose runner is gone: cancelled if a cancel
 * was requested, queued again while attempts are left, else failed as `lost`.
 * `reason` says what happened to the runner, in words that fit after "because".
 */
export function decideAbandon(
  row: { cancel_requested_at: number | null; attempts: number; max_attempts: number },
  reason: string,
): AbandonDecision {
  const tally = `${row.attempts} of ${row.max_attempts}`;
  if (row.cancel_requested_at !== null) return { status: 'cancelled' };
  if (row.attempts < row.max_attempts) {
    return { status: 'pending', message: `Attempt ${tally} was lost because ${reason}; the task will run again.` };
  }
  return { status: 'failed', message: `The task was lost because ${reason}, and no attempts are left (${tally}).` };
}

/** A row of the registry's `list` statement, labels decoded. */
export interface WorkerRow extends WorkerProfile {
  lease_ms: number;
  state: Exclude<WorkerState, 'lost'>;
  started_at: number;
  last_heartbeat_at: number;
  /** The store's now, read in the same statement. */
  now: number;
  running: number;
}

/**
 * A worker silent for longer than its own lease is `lost`: by then its
 * leases have expired too, and its tasks go to other workers. A stopped
 * worker said goodbye, so its silence is expected.
 */
export function toWorkerRecord(row: WorkerRow): WorkerRecord {
  const { lease_ms: leaseMs, now, running, state, ...fields } = row;
  const age = Math.max(0, now - row.last_heartbeat_at);
  const lost = state !== 'stopped' && age > leaseMs;
  return { ...fields, running: Number(running), state: lost ? 'lost' : state, heartbeat_age_ms: age };
}
