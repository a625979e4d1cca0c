/**
 * Claiming: one `BEGIN IMMEDIATE` transaction takes the oldest runnable task
 * and records the attempt. SQLite has one writer at a time, so across every
 * process that opened the file exactly one claimer gets each task.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { ClaimedTask, WorkerIdentity } from '../task-store.js';
import { toRecord, type TaskRow } from './row.js';

export function claimOperation(db: Database.Database) {
  const take = db.prepare<Record<string, unknown>, TaskRow>(`
    UPDATE tasks
       SET status = 'running', attempts = attempts + 1, started_at = @now,
           lease_owner = @owner, lease_token = @token, lease_expires_at = @expires
     WHERE id = (SELECT id FROM tasks
                  WHERE status = 'pending' AND run_at <= @now AND cancel_requested_at IS NULL
                  ORDER BY run_at, id LIMIT 1)
    RETURNING *`);
  const recordAttempt = db.prepare(`
    INSERT OR REPLACE INTO task_attempts
      (task_id, attempt, lease_token, worker_id, host, boot_id, worker_pid, worker_start_time, started_at)
    VALUES (@taskId, @attempt, @token, @workerId, @host, @bootId, @pid, @procStartTime, @now)`);

  const run = db.transaction((worker: WorkerIdentity, leaseMs: number, now: number): ClaimedTask | null => {
    const token = randomUUID();
    const row = take.get({ now, owner: worker.id, token, expires: now + leaseMs });
    if (!row) return null;
    recordAttempt.run({
      taskId: row.id,
      attempt: row.attempts,
      token,
      workerId: worker.id,
      host: worker.host,
      bootId: worker.bootId,
      pid: worker.pid,
      procStartTime: worker.procStartTime,
      now,
    });
    return { task: toRecord(row), lease: { taskId: row.id, token }, attempt: row.attempts };
  });
  return (worker: WorkerIdentity, leaseMs: number, now: number): ClaimedTask | null => run.immediate(worker, leaseMs, now);
}
