/**
 * How a running task ends: completed, failed (or scheduled for a retry),
 * released, cancelled, or abandoned because its runner is gone. Each write is
 * fenced by the lease token and closes the attempt row in the same transaction.
 */
import type Database from 'better-sqlite3';
import type { RunStats } from '../../core/task.js';
import type { CancelOutcome, CompletedResult, FailureRecord, Lease, TaskRecord } from '../task-store.js';
import { FENCE, SET_STATS, statsParams, toRecord, type TaskRow } from './row.js';

const CLEAR_LEASE = 'lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL';

export function settleOperations(db: Database.Database) {
  const owned = db.prepare<Record<string, unknown>, TaskRow>(`SELECT * FROM tasks WHERE ${FENCE}`);
  const closeAttempt = db.prepare(`
    UPDATE task_attempts SET ended_at = @now, outcome = @outcome, error = @error
     WHERE task_id = @taskId AND lease_token = @token`);
  const deleteAttempt = db.prepare('DELETE FROM task_attempts WHERE task_id = @taskId AND lease_token = @token');
  const finish = db.prepare(`
    UPDATE tasks SET status = @status, ended_at = @now, final_summary = COALESCE(@final_summary, final_summary),
                     error_code = @error_code, error_message = @error_message, ${SET_STATS}, ${CLEAR_LEASE}
     WHERE ${FENCE}`);
  const retryLater = db.prepare(`
    UPDATE tasks SET status = 'pending', run_at = @runAt, error_code = @error_code, error_message = @error_message,
                     ${CLEAR_LEASE}
     WHERE ${FENCE}`);
  const putBack = db.prepare(`
    UPDATE tasks SET status = 'pending', run_at = @now, attempts = attempts - 1,
                     started_at = CASE WHEN attempts = 1 THEN NULL ELSE started_at END, ${CLEAR_LEASE}
     WHERE ${FENCE}`);
  const byId = db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE id = ?');
  const cancelPending = db.prepare(`
    UPDATE tasks SET status = 'cancelled', cancel_requested_at = @now, ended_at = @now WHERE id = @id`);
  const flagCancel = db.prepare(`
    UPDATE tasks SET cancel_requested_at = COALESCE(cancel_requested_at, @now) WHERE id = @id`);

  interface Ending {
    status: 'completed' | 'failed' | 'cancelled';
    outcome: string;
    final_summary?: string | null;
    error_code?: string | null;
    error_message?: string | null;
    stats?: Partial<RunStats>;
  }

  const end = (lease: Lease, e: Ending, now: number): boolean => {
    const changed = finish.run({
      ...lease,
      now,
      status: e.status,
      final_summary: e.final_summary ?? null,
      error_code: e.error_code ?? null,
      error_message: e.error_message ?? null,
      ...statsParams(e.stats ?? {}),
    }).changes;
    if (changed > 0) closeAttempt.run({ ...lease, now, outcome: e.outcome, error: e.error_message ?? null });
    return changed > 0;
  };

  /** Gives up on an attempt: cancelled, retried after `delayMs`, or failed as lost. */
  const giveUp = (row: TaskRow, lease: Lease, reason: string, delayMs: number, now: number): void => {
    if (row.cancel_requested_at !== null) {
      end(lease, { status: 'cancelled', outcome: 'lost', error_message: reason }, now);
      return;
    }
    if (row.attempts < row.max_attempts) {
      retryLater.run({
        ...lease,
        runAt: now + delayMs,
        error_code: 'lost',
        error_message: `Attempt ${row.attempts} of ${row.max_attempts} was interrupted (${reason}); the task will run again.`,
      });
      closeAttempt.run({ ...lease, now, outcome: 'lost', error: reason });
      return;
    }
    end(
      lease,
      {
        status: 'failed',
        outcome: 'lost',
        error_code: 'lost',
        error_message: `The task was interrupted (${reason}) and no attempts are left (${row.attempts} of ${row.max_attempts}).`,
      },
      now,
    );
  };

  return {
    complete: db.transaction((lease: Lease, result: CompletedResult, now: number) =>
      end(lease, { status: 'completed', outcome: 'completed', final_summary: result.final_summary, stats: result }, now),
    ),

    /** True when the task is now pending again (so waiters can be woken). */
    fail: db.transaction((lease: Lease, failure: FailureRecord, retryDelayMs: number | null, now: number) => {
      const row = owned.get({ ...lease });
      if (!row) return { owned: false, retrying: false };
      if (retryDelayMs !== null && row.attempts < row.max_attempts) {
        retryLater.run({ ...lease, runAt: now + retryDelayMs, error_code: failure.error_code, error_message: failure.error_message });
        closeAttempt.run({ ...lease, now, outcome: 'retry', error: failure.error_message });
        return { owned: true, retrying: true };
      }
      end(
        lease,
        {
          status: 'failed',
          outcome: 'failed',
          final_summary: failure.final_summary ?? null,
          error_code: failure.error_code,
          error_message: failure.error_message,
          stats: failure,
        },
        now,
      );
      return { owned: true, retrying: false };
    }),

    release: db.transaction((lease: Lease, now: number) => {
      const changed = putBack.run({ ...lease, now }).changes > 0;
      if (changed) deleteAttempt.run({ ...lease });
      return changed;
    }),

    markCancelled: db.transaction((lease: Lease, stats: Partial<RunStats>, now: number) =>
      end(lease, { status: 'cancelled', outcome: 'cancelled', stats }, now),
    ),

    abandon: db.transaction((lease: Lease, reason: string, delayMs: number, now: number) => {
      const row = owned.get({ ...lease });
      if (!row) return false;
      giveUp(row, lease, reason, delayMs, now);
      return true;
    }),

    /** Abandons every running task whose lease expired before `now`. */
    reapExpired: db.transaction((delayMs: number, now: number): number[] => {
      const expired = db
        .prepare<[number], TaskRow>(`SELECT * FROM tasks WHERE status = 'running' AND lease_expires_at < ?`)
        .all(now);
      for (const row of expired) {
        giveUp(row, { taskId: row.id, token: row.lease_token! }, 'its runner stopped renewing the lease', delayMs, now);
      }
      return expired.map((row) => row.id);
    }),

    requestCancel: db.transaction((taskId: number, now: number): { task: TaskRecord; outcome: CancelOutcome } | null => {
      const row = byId.get(taskId);
      if (!row) return null;
      if (row.status === 'pending') {
        cancelPending.run({ id: taskId, now });
        return { task: toRecord(byId.get(taskId)!), outcome: 'cancelled' };
      }
      if (row.status === 'running') {
        flagCancel.run({ id: taskId, now });
        return { task: toRecord(byId.get(taskId)!), outcome: 'cancel_requested' };
      }
      return { task: toRecord(row), outcome: 'already_ended' };
    }),
  };
}
