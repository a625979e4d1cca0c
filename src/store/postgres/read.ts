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
import type { PostgresContext } from './pool.js';
import { isTaskId, TASK_COLUMNS, toTaskRecord, type TaskRow } from './row.js';

const SELECT_ONE = `SELECT ${TASK_COLUMNS} FROM tasks WHERE id = @id`;

export async function getTask(ctx: PostgresContext, taskId: number): Promise<TaskRecord | null> {
  if (!isTaskId(taskId)) return null;
  const [row] = await ctx.rows<TaskRow>(SELECT_ONE, { id: taskId });
  return row ? toTaskRecord(row) : null;
}

export async function listTasks(ctx: PostgresContext, filter: ListFilter): Promise<TaskRecord[]> {
  const { where, params } = listWhere(filter);
  const rows = await ctx.rows<TaskRow>(`SELECT ${TASK_COLUMNS} FROM tasks ${where} ORDER BY id DESC LIMIT @limit`, params);
  return rows.map(toTaskRecord);
}

export async function countByStatus(ctx: PostgresContext): Promise<Record<TaskStatus, number>> {
  return countsByStatus(await ctx.rows<{ status: TaskStatus; count: number }>(COUNT_BY_STATUS));
}

export async function countActive(ctx: PostgresContext): Promise<ActiveCounts> {
  return activeCounts(await ctx.rows<{ status: TaskStatus; count: number }>(COUNT_ACTIVE));
}

export async function runningAttemptsOnHost(ctx: PostgresContext, host: string): Promise<RunningAttempt[]> {
  const rows = await ctx.rows<RunningAttemptRow>(RUNNING_ON_HOST, { host });
  return rows.map(toRunningAttempt);
}
