/** Reads of orchestrations: one with its tasks, newest-first pages, and what a starting task learns of its dependencies. */
import { countRange, type CountRow, DEPENDENCY_RESULTS, ORCHESTRATION_COUNTS, ORCHESTRATION_EDGES, type OrchestrationRow, toOrchestrationRecords, withDependencies } from '../sql/orchestrations.js';
import type { DependencyResult, OrchestrationGraph, OrchestrationRecord } from '../orchestration-records.js';
import type { PostgresContext, Sql } from './pool.js';
import { isTaskId, ORCHESTRATION_COLUMNS, TASK_COLUMNS, toTaskRecord, type TaskRow } from './row.js';

const SELECT_ONE = `SELECT ${ORCHESTRATION_COLUMNS} FROM orchestrations WHERE id = @id`;
const SELECT_TASKS = `SELECT ${TASK_COLUMNS} FROM tasks WHERE orchestration_id = @orchestration_id ORDER BY id`;
const SELECT_PAGE = `SELECT ${ORCHESTRATION_COLUMNS} FROM orchestrations WHERE id < @before_id ORDER BY id DESC LIMIT @limit`;

/** One snapshot (REPEATABLE READ), so counts and tasks agree. */
export async function getOrchestration(ctx: PostgresContext, orchestrationId: number): Promise<OrchestrationGraph | null> {
  if (!isTaskId(orchestrationId)) return null;
  return ctx.transaction(async (tx) => {
    await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    return readGraph(tx, orchestrationId);
  });
}

async function readGraph(tx: Sql, orchestrationId: number): Promise<OrchestrationGraph | null> {
  const [row] = await tx.rows<OrchestrationRow>(SELECT_ONE, { id: orchestrationId });
  if (!row) return null;
  const byOrchestration = { orchestration_id: row.id };
  const counts = await tx.rows<CountRow>(ORCHESTRATION_COUNTS, countRange([row]));
  const tasks = (await tx.rows<TaskRow>(SELECT_TASKS, byOrchestration)).map(toTaskRecord);
  const edges = await tx.rows<{ task_id: number; identifier: string }>(ORCHESTRATION_EDGES, byOrchestration);
  return { orchestration: toOrchestrationRecords([row], counts)[0]!, tasks: withDependencies(tasks, edges) };
}

export async function listOrchestrations(
  ctx: PostgresContext,
  filter: { beforeId?: number; limit: number },
): Promise<OrchestrationRecord[]> {
  return ctx.transaction(async (tx) => {
    await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const rows = await tx.rows<OrchestrationRow>(SELECT_PAGE, {
      before_id: filter.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: filter.limit,
    });
    if (rows.length === 0) return [];
    return toOrchestrationRecords(rows, await tx.rows<CountRow>(ORCHESTRATION_COUNTS, countRange(rows)));
  });
}

export async function dependencyResults(ctx: PostgresContext, taskId: number): Promise<DependencyResult[]> {
  if (!isTaskId(taskId)) return [];
  return ctx.rows<DependencyResult>(DEPENDENCY_RESULTS, { task_id: taskId });
}
