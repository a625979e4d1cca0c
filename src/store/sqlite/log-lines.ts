/** The readable log of a task: appended by the runner running it, read by anyone. */
import { logLinesParam, readLogQuery, toLogLine, type LogLineRow } from '../shared-sql.js';
import type { LogLine, LogRange, NewLogLine } from '../task-store.js';
import type { SqliteContext } from './context.js';

// One statement for the whole batch; json_each yields the array in order, so ids follow it.
const APPEND = `
  INSERT INTO task_log_lines (task_id, at_ms, line)
  SELECT @task_id, json_extract(value, '$[0]'), json_extract(value, '$[1]')
    FROM json_each(@lines)
   ORDER BY key`;

export function appendLog(ctx: SqliteContext, taskId: number, lines: readonly NewLogLine[]): void {
  ctx.relaxed(() => ctx.statement(APPEND).run({ task_id: taskId, lines: logLinesParam(lines) }));
}

export function readLog(ctx: SqliteContext, taskId: number, range: LogRange): LogLine[] {
  const { sql, params } = readLogQuery(taskId, range);
  return (ctx.statement(sql).all(params) as LogLineRow[]).map(toLogLine);
}
