/**
 * Claiming: the oldest runnable pending tasks (up to a limit: the runner's
 * free slots) become running, each under a fresh lease, and each attempt is
 * recorded with who runs it, in one autocommit statement; nothing while the
 * queue is paused, and one task (the probe) once the pause is over. `FOR UPDATE SKIP LOCKED` makes concurrent claimers on any
 * number of nodes pass over a row another claimer is taking instead of
 * queueing behind it: two claimers never get the same task.
 */
import type { Labels } from '../../core/labels.js';
import type { ClaimedTask, WorkerIdentity } from '../task-store.js';
import type { PostgresContext } from './pool.js';
import { msInterval, TASK_COLUMNS, toTaskRecord, type TaskRow } from './row.js';

// MATERIALIZED: the pick is evaluated once, as written; inlined into the
// UPDATE, the planner may evaluate the subquery more than once and update
// more rows than the LIMIT.
//
// Several at once: a runner with free slots and a backlog claimed one task
// per round trip, which capped a node at ~250 tasks/s of no-op work; one
// statement for all its free slots removes that ceiling.
//
// started_at is the start of the current attempt: together with attempts it
// says how long the task has been running this time. Times are the server's
// now(), one value for the whole statement, so lease_expires_at is exactly
// started_at + lease.
//
// Labels: a task is taken when what it requires is contained in the worker's
// labels (`<@`; '{}' is contained in anything). Tasks this worker cannot
// take are passed over in the ready index's order, so a backlog nobody can
// take costs every claim a walk over it: measured with 10k such tasks
// ahead, 1.9 ms per pick instead of 0.15 ms.
//
// The pause: before paused_until nothing is claimed; after it, one task
// (the probe), and nothing more while it has not got through, for up to one
// lease (see pauseGate in sql/queue-pause.ts, the same rule). FOR UPDATE on
// the pause row makes two nodes that claim at once take turns, so only one
// of them starts the probe; without a pause there is no row to lock.
const CLAIM = `
  WITH pause AS MATERIALIZED (
    SELECT paused_until, probe_task_id, probe_started_at FROM queue_pause WHERE id = 1 FOR UPDATE
  ), gate AS (
    SELECT CASE
      WHEN NOT EXISTS (SELECT 1 FROM pause) THEN 'open'
      WHEN EXISTS (SELECT 1 FROM pause
                    WHERE paused_until > now()
                       OR (probe_task_id IS NOT NULL AND probe_started_at + ${msInterval('@lease_ms')} > now())) THEN 'closed'
      ELSE 'probe' END AS state
  ), pick AS MATERIALIZED (
    SELECT id FROM tasks
     WHERE status = 'pending' AND run_at <= now() AND cancel_requested_at IS NULL
       AND required_labels <@ @labels::jsonb
     ORDER BY run_at, id
     LIMIT (SELECT CASE state WHEN 'open' THEN @limit::int WHEN 'probe' THEN 1 ELSE 0 END FROM gate)
       FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE tasks t
       SET status = 'running',
           attempts = t.attempts + 1,
           started_at = now(),
           lease_owner = @worker_id,
           lease_token = gen_random_uuid()::text,
           lease_expires_at = now() + ${msInterval('@lease_ms')}
      FROM pick
     WHERE t.id = pick.id
    RETURNING t.*
  ), attempt AS (
    INSERT INTO task_attempts (
      task_id, attempt, lease_token, worker_id, host, boot_id, worker_pid, worker_start_time, started_at
    )
    SELECT id, attempts, lease_token, @worker_id, @host, @boot_id, @worker_pid, @worker_start_time, now()
      FROM claimed
  ), probe AS (
    UPDATE queue_pause SET probe_task_id = claimed.id, probe_started_at = now()
      FROM claimed
     WHERE queue_pause.id = 1 AND (SELECT state FROM gate) = 'probe'
  )
  SELECT ${TASK_COLUMNS}, (SELECT state FROM gate) = 'probe' AS probe FROM claimed ORDER BY run_at, id`;

export async function claimMany(
  ctx: PostgresContext,
  worker: WorkerIdentity,
  leaseMs: number,
  limit: number,
  labels: Labels,
): Promise<ClaimedTask[]> {
  const rows = await ctx.rows<TaskRow & { probe: boolean }>(CLAIM, {
    lease_ms: leaseMs,
    limit,
    labels: JSON.stringify(labels),
    worker_id: worker.id,
    host: worker.host,
    boot_id: worker.bootId,
    worker_pid: worker.pid,
    worker_start_time: worker.procStartTime,
  });
  return rows.map(({ probe, ...row }) => ({
    task: toTaskRecord(row),
    lease: { taskId: row.id, token: row.lease_token! },
    attempt: row.attempts,
    probe,
  }));
}
