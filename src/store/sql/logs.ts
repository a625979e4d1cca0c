/** Statements of the task log lines that both databases run as they are, and the mapping of their rows. */
import type { LogLine, LogRange, TaskLogLine } from '../task-store.js';
import { withoutNul } from './tasks.js';

export const READ_LOG_AFTER = `
  SELECT id, at_ms, line FROM task_log_lines
   WHERE task_id = @task_id AND id > @after_id
   ORDER BY id
   LIMIT @limit`;

export const READ_LOG_TAIL = `
  SELECT id, at_ms, line FROM (
    SELECT id, at_ms, line FROM task_log_lines WHERE task_id = @task_id ORDER BY id DESC LIMIT @tail
  ) AS recent
   ORDER BY id`;

export interface LogLineRow {
  id: number;
  at_ms: number;
  line: string;
}

/** The statement and parameters that read `range` of a task's log. */
export function readLogQuery(taskId: number, range: LogRange): { sql: string; params: Record<string, number> } {
  return 'tail' in range
    ? { sql: READ_LOG_TAIL, params: { task_id: taskId, tail: range.tail } }
    : { sql: READ_LOG_AFTER, params: { task_id: taskId, after_id: range.afterId, limit: range.limit } };
}

export function toLogLine(row: LogLineRow): LogLine {
  return { id: Number(row.id), at: Number(row.at_ms), text: row.line };
}

/**
 * Log lines as one JSON parameter, `[[task_id, at, text], ...]`, that each
 * dialect unpacks in order. U+0000 becomes U+FFFD: PostgreSQL refuses it in
 * text and jsonb, and one such line (a tool's binary output, say) would fail
 * every batch it is in.
 */
export function logLinesParam(lines: readonly TaskLogLine[]): string {
  return JSON.stringify(lines.map((line) => [line.taskId, line.at, withoutNul(line.text)]));
}
