/**
 * Claiming: the oldest runnable pending tasks (up to a limit: the runner's
 * free slots) become running, each under a fresh lease, and each attempt is
 * recorded with who runs it; nothing while the queue is paused, and one task
 * (the probe) once the pause is over. One BEGIN IMMEDIATE transaction for all of them, so SQLite's single writer makes the claim exact across
 * processes: two claimers never get the same task.
 */
import { randomUUID } from 'node:crypto';
import type { Labels } from '../../core/labels.js';
import { pauseGate, SET_PROBE } from '../sql/queue-pause.js';
import type { ClaimedTask, WorkerIdentity } from '../task-store.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { readQueuePause } from './queue-pause.js';
import { toTaskRecord, type TaskRow } from './row.js';

// INDEXED BY: without statistics (no ANALYZE has run) SQLite prefers the
// (status, id) index and sorts every pending row; the partial ready index
// gives the oldest runnable task directly. Measured on 100k tasks: 36 µs vs
// 9 µs per pick; the gap grows with the backlog. The same holds for the
// reaper and pruning (see reap.ts, prune.ts).
//
// started_at is the start of the current attempt: together with attempts it
// says how long the task has been running this time.
//
// Labels: a task is taken when no pair it requires is missing from the
// worker's labels (@labels, a JSON object). Tasks that require nothing skip
// the JSON entirely. Tasks this worker cannot take are passed over in the
// ready index's order, so a backlog nobody can take costs every claim a walk
// over it: measured with 10k such tasks ahead, 3.3 ms per claim (commit
// included) instead of 0.8 ms.
const CLAIM = `
  UPDATE tasks
     SET status = 'running',
         attempts = attempts + 1,
         started_at = @now,
         lease_owner = @worker_id,
         lease_token = @token,
         lease_expires_at = @now + @lease_ms
   WHERE id = (
     SELECT id FROM tasks INDEXED BY tasks_ready
      WHERE status = 'pending' AND run_at <= @now AND cancel_requested_at IS NULL
        AND (required_labels = '{}' OR NOT EXISTS (
              SELECT 1 FROM json_each(tasks.required_labels) AS needed
               WHERE NOT EXISTS (
                 SELECT 1 FROM json_each(@labels) AS offered
                  WHERE offered.key = needed.key AND offered.value = needed.value)))
      ORDER BY run_at, id
      LIMIT 1)
  RETURNING *`;

const SET_PROBE_SQL = SET_PROBE(SQLITE_DIALECT);

const INSERT_ATTEMPT = `
  INSERT INTO task_attempts (
    task_id, attempt, lease_token, worker_id, host, boot_id, worker_pid, worker_start_time, started_at
  ) VALUES (
    @task_id, @attempt, @token, @worker_id, @host, @boot_id, @worker_pid, @worker_start_time, @now
  )`;

export function claimMany(
  ctx: SqliteContext,
  worker: WorkerIdentity,
  leaseMs: number,
  limit: number,
  labels: Labels,
): ClaimedTask[] {
  // Relaxed: after a power loss the agent is gone too, and a pending task is the right state.
  return ctx.relaxed(() =>
    ctx.immediate(() => {
      const now = ctx.now();
      const gate = pauseGate(readQueuePause(ctx), now, leaseMs);
      if (gate === 'closed') return [];
      const claimed: ClaimedTask[] = [];
      const most = gate === 'probe' ? 1 : limit;
      while (claimed.length < most) {
        const token = randomUUID();
        const row = ctx
          .statement(CLAIM)
          .get({ now, token, worker_id: worker.id, lease_ms: leaseMs, labels: JSON.stringify(labels) }) as TaskRow | undefined;
        if (!row) break;
        ctx.statement(INSERT_ATTEMPT).run({
          task_id: row.id,
          attempt: row.attempts,
          token,
          worker_id: worker.id,
          host: worker.host,
          boot_id: worker.bootId,
          worker_pid: worker.pid,
          worker_start_time: worker.procStartTime,
          now,
        });
        if (gate === 'probe') ctx.statement(SET_PROBE_SQL).run({ task_id: row.id, now });
        claimed.push({
          task: toTaskRecord(row),
          lease: { taskId: row.id, token },
          attempt: row.attempts,
          probe: gate === 'probe',
        });
      }
      return claimed;
    }),
  );
}
