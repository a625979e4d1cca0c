/** The readable log of a task: appended by the runner running it, read by anyone. */
import { logLinesParam, readLogQuery, toLogLine, type LogLineRow } from '../shared-sql.js';
import type { LogLine, LogRange, NewLogLine } from '../task-store.js';
import type { PostgresContext } from './pool.js';

// One statement for the whole batch; identity values are drawn in the ORDER BY order.
const APPEND = `
  INSERT INTO task_log_lines (task_id, at_ms, line)
  SELECT @task_id, (entry.value ->> 0)::bigint, entry.value ->> 1
    FROM jsonb_array_elements(@lines::jsonb) WITH ORDINALITY AS entry (value, position)
   ORDER BY entry.position`;

export async function appendLog(ctx: PostgresContext, taskId: number, lines: readonly NewLogLine[]): Promise<void> {
  await ctx.run(APPEND, { task_id: taskId, lines: logLinesParam(lines) });
}

export async function readLog(ctx: PostgresContext, taskId: number, range: LogRange): Promise<LogLine[]> {
  const { sql, params } = readLogQuery(taskId, range);
  return (await ctx.rows<LogLineRow>(sql, params)).map(toLogLine);
}
