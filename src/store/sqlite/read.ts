/** Reads: one task, pages of tasks, counts, and this host's running attempts. */
import type Database from 'better-sqlite3';
import { TASK_STATUSES, type TaskStatus } from '../../core/task.js';
import type { ListFilter, RunningAttempt, TaskRecord } from '../task-store.js';
import { toRecord, type TaskRow } from './row.js';

interface AttemptRow {
  task_id: number;
  attempt: number;
  lease_token: string;
  worker_id: string;
  host: string;
  boot_id: string;
  worker_pid: number;
  worker_start_time: string | null;
  agent_pid: number | null;
  agent_pgid: number | null;
  agent_start_time: string | null;
}

export function readOperations(db: Database.Database) {
  const byId = db.prepare<[number], TaskRow>('SELECT * FROM tasks WHERE id = ?');
  const counts = db.prepare<[], { status: TaskStatus; n: number }>('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status');
  const attemptsOnHost = db.prepare<[string], AttemptRow>(`
    SELECT a.* FROM tasks t
      JOIN task_attempts a ON a.task_id = t.id AND a.lease_token = t.lease_token
     WHERE t.status = 'running' AND a.host = ?`);

  return {
    get: (taskId: number): TaskRecord | null => {
      const row = byId.get(taskId);
      return row ? toRecord(row) : null;
    },

    list: (filter: ListFilter): TaskRecord[] => {
      const where: string[] = [];
      if (filter.status) where.push('status = @status');
      if (filter.beforeId !== undefined) where.push('id < @beforeId');
      const sql = `SELECT * FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT @limit`;
      return db.prepare<Record<string, unknown>, TaskRow>(sql).all({ ...filter }).map(toRecord);
    },

    countByStatus: (): Record<TaskStatus, number> => {
      const result = Object.fromEntries(TASK_STATUSES.map((s) => [s, 0])) as Record<TaskStatus, number>;
      for (const { status, n } of counts.all()) result[status] = n;
      return result;
    },

    runningAttemptsOnHost: (host: string): RunningAttempt[] =>
      attemptsOnHost.all(host).map((a) => ({
        lease: { taskId: a.task_id, token: a.lease_token },
        attempt: a.attempt,
        worker: { id: a.worker_id, host: a.host, bootId: a.boot_id, pid: a.worker_pid, procStartTime: a.worker_start_time },
        agent:
          a.agent_pid === null || a.agent_pgid === null
            ? null
            : { pid: a.agent_pid, pgid: a.agent_pgid, procStartTime: a.agent_start_time },
      })),
  };
}
