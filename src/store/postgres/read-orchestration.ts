/** Reads of orchestrations: one with its tasks, newest-first pages, and what a starting task learns of its dependencies. */
import * as orchestrationSql from '../sql/orchestrations.js';
import type { DependencyHead, DependencyResult, OrchestrationGraph, OrchestrationRecord } from '../orchestration-records.js';
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
  const [row] = await tx.rows<orchestrationSql.OrchestrationRow>(SELECT_ONE, { id: orchestrationId });
  if (!row) return null;
  const byOrchestration = { orchestration_id: row.id };
  const counts = await tx.rows<orchestrationSql.CountRow>(
    orchestrationSql.ORCHESTRATION_COUNTS,
    orchestrationSql.countRange([row]),
  );
  const tasks = (await tx.rows<TaskRow>(SELECT_TASKS, byOrchestration)).map(toTaskRecord);
  const edges = await tx.rows<{ task_id: number; identifier: string }>(orchestrationSql.ORCHESTRATION_EDGES, byOrchestration);
  return {
    orchestration: orchestrationSql.toOrchestrationRecords([row], counts)[0]!,
    tasks: orchestrationSql.withDependencies(tasks, edges),
  };
}

export async function listOrchestrations(
  ctx: PostgresContext,
  filter: { beforeId?: number; limit: number },
): Promise<OrchestrationRecord[]> {
  return ctx.transaction(async (tx) => {
    await tx.run('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    const rows = await tx.rows<orchestrationSql.OrchestrationRow>(SELECT_PAGE, {
      before_id: filter.beforeId ?? Number.MAX_SAFE_INTEGER,
      limit: filter.limit,
    });
    if (rows.length === 0) return [];
    return orchestrationSql.toOrchestrationRecords(
      rows,
      await tx.rows<orchestrationSql.CountRow>(orchestrationSql.ORCHESTRATION_COUNTS, orchestrationSql.countRange(rows)),
    );
  });
}

export async function dependencyResults(ctx: PostgresContext, taskId: number): Promise<DependencyResult[]> {
  if (!isTaskId(taskId)) return [];
  return ctx.rows<DependencyResult>(orchestrationSql.DEPENDENCY_RESULTS, { task_id: taskId });
}

export async function dependencyHeads(ctx: PostgresContext, taskId: number): Promise<DependencyHead[]> {
  if (!isTaskId(taskId)) return [];
  return ctx.rows<DependencyHead>(orchestrationSql.DEPENDENCY_HEADS, { task_id: taskId });
}
