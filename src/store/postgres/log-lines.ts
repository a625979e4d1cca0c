/** The readable log of a task: appended by the runner running it, read by anyone. */
import { type LogLineRow, logLinesParam, readLogQuery, toLogLine } from '../sql/logs.js';
import type { LogLine, LogRange, TaskLogLine } from '../task-store.js';
import type { PostgresContext } from './pool.js';

// One statement for the whole batch; identity values are drawn in the ORDER
// BY order. The join drops the lines of a task pruned meanwhile, which would
// otherwise fail the whole batch on the foreign key, again at every retry.
const APPEND = `
  INSERT INTO task_log_lines (task_id, at_ms, line)
  SELECT t.id, (entry.value ->> 1)::bigint, entry.value ->> 2
    FROM jsonb_array_elements(@lines::jsonb) WITH ORDINALITY AS entry (value, position)
    JOIN tasks t ON t.id = (entry.value ->> 0)::bigint
   ORDER BY entry.position`;

export async function appendLog(ctx: PostgresContext, lines: readonly TaskLogLine[]): Promise<void> {
  await ctx.run(APPEND, { lines: logLinesParam(lines) });
}

export async function readLog(ctx: PostgresContext, taskId: number, range: LogRange): Promise<LogLine[]> {
  const { sql, params } = readLogQuery(taskId, range);
  return (await ctx.rows<LogLineRow>(sql, params)).map(toLogLine);
}
