/** Reads: one task, newest-first pages, counts per status, and a host's running attempts. */
import { toRunningAttempt, type RunningAttemptRow } from '../shared-rules.js';
import { TASK_STATUSES, type TaskStatus } from '../../core/task.js';
import type { ListFilter, RunningAttempt } from '../task-store.js';
import type { SqliteContext } from './context.js';
import type { TaskRow } from './row.js';

const SELECT_ONE = `SELECT * FROM tasks WHERE id = ?`;

export function getTask(ctx: SqliteContext, taskId: number): TaskRow | null {
  return (ctx.statement(SELECT_ONE).get(taskId) as TaskRow | undefined) ?? null;
}

/**
 * Only the conditions a filter uses go into the statement (there are four
 * shapes, each compiled once), so SQLite picks the (status, id) index or a
 * backwards walk of the primary key instead of a scan around "@x IS NULL OR".
 */
export function listTasks(ctx: SqliteContext, filter: ListFilter): TaskRow[] {
  const conditions: string[] = [];
  const params: Record<string, string | number> = { limit: filter.limit };
  if (filter.status !== undefined) {
    conditions.push('status = @status');
    params.status = filter.status;
  }
  if (filter.beforeId !== undefined) {
    conditions.push('id < @before_id');
    params.before_id = filter.beforeId;
  }
  const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
  return ctx.statement(`SELECT * FROM tasks ${where} ORDER BY id DESC LIMIT @limit`).all(params) as TaskRow[];
}

const COUNT_BY_STATUS = `SELECT status, count(*) AS count FROM tasks GROUP BY status`;

export function countByStatus(ctx: SqliteContext): Record<TaskStatus, number> {
  const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
  for (const { status, count } of ctx.statement(COUNT_BY_STATUS).all() as { status: TaskStatus; count: number }[]) {
    counts[status] = count;
  }
  return counts;
}

// The attempt row of the current lease: older attempts of the task ended already.
const RUNNING_ON_HOST = `
  SELECT t.id, t.lease_token, a.attempt, a.worker_id, a.host, a.boot_id, a.worker_pid, a.worker_start_time,
         a.agent_pid, a.agent_pgid, a.agent_start_time
    FROM tasks t
    JOIN task_attempts a ON a.task_id = t.id AND a.lease_token = t.lease_token
   WHERE t.status = 'running' AND a.host = ?
   ORDER BY t.id`;


export function runningAttemptsOnHost(ctx: SqliteContext, host: string): RunningAttempt[] {
  const rows = ctx.statement(RUNNING_ON_HOST).all(host) as RunningAttemptRow[];
  return rows.map(toRunningAttempt);
}
