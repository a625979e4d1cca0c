/** The readable log of a task: appended by the runner running it, read by anyone. */
import { type LogLineRow, logLinesParam, readLogQuery, toLogLine } from '../sql/logs.js';
import type { LogLine, LogRange, TaskLogLine } from '../task-store.js';
import type { SqliteContext } from './context.js';

// One statement for the whole batch; json_each yields the array in order,
// so ids follow it. The join drops the lines of a task pruned meanwhile,
// which would otherwise fail the whole batch on the foreign key.
const APPEND = `
  INSERT INTO task_log_lines (task_id, at_ms, line)
  SELECT t.id, json_extract(entry.value, '$[1]'), json_extract(entry.value, '$[2]')
    FROM json_each(@lines) AS entry
    JOIN tasks t ON t.id = json_extract(entry.value, '$[0]')
   ORDER BY entry.key`;

export function appendLog(ctx: SqliteContext, lines: readonly TaskLogLine[]): void {
  ctx.relaxed(() => ctx.statement(APPEND).run({ lines: logLinesParam(lines) }));
}

export function readLog(ctx: SqliteContext, taskId: number, range: LogRange): LogLine[] {
  const { sql, params } = readLogQuery(taskId, range);
  return (ctx.statement(sql).all(params) as LogLineRow[]).map(toLogLine);
}
