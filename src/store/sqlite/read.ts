/** Reads: one task, newest-first pages, counts per status, and a host's running attempts. */
import type { TaskStatus } from '../../core/task.js';
import {
  activeCounts,
  COUNT_ACTIVE,
  COUNT_BY_STATUS,
  countsByStatus,
  RUNNING_ON_HOST,
  type RunningAttemptRow,
  toRunningAttempt,
} from '../sql/tasks.js';
import { listWhere } from '../sql/task-lists.js';
import type { ActiveCounts, ListFilter, RunningAttempt, TaskRecord } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { toTaskRecord, type TaskRow } from './row.js';

const SELECT_ONE = `SELECT * FROM tasks WHERE id = ?`;

export function getTask(ctx: SqliteContext, taskId: number): TaskRecord | null {
  const row = ctx.statement(SELECT_ONE).get(taskId) as TaskRow | undefined;
  return row ? toTaskRecord(row) : null;
}

export function listTasks(ctx: SqliteContext, filter: ListFilter): TaskRecord[] {
  const { where, params } = listWhere(filter);
  const rows = ctx.statement(`SELECT * FROM tasks ${where} ORDER BY id DESC LIMIT @limit`).all(params) as TaskRow[];
  return rows.map(toTaskRecord);
}

export function countByStatus(ctx: SqliteContext): Record<TaskStatus, number> {
  return countsByStatus(ctx.statement(COUNT_BY_STATUS).all() as { status: TaskStatus; count: number }[]);
}

export function countActive(ctx: SqliteContext): ActiveCounts {
  return activeCounts(ctx.statement(COUNT_ACTIVE).all() as { status: TaskStatus; count: number }[]);
}

export function runningAttemptsOnHost(ctx: SqliteContext, host: string): RunningAttempt[] {
  const rows = ctx.statement(RUNNING_ON_HOST).all({ host }) as RunningAttemptRow[];
  return rows.map(toRunningAttempt);
}
