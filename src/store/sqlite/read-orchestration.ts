/** Reads of orchestrations: one with its tasks, newest-first pages, and what a starting task learns of its dependencies. */
import * as orchestrationSql from '../sql/orchestrations.js';
import type { DependencyHead, DependencyResult, OrchestrationGraph, OrchestrationRecord } from '../orchestration-records.js';
import type { SqliteContext } from './context.js';
import { toTaskRecord, type TaskRow } from './row.js';

const SELECT_ONE = `SELECT * FROM orchestrations WHERE id = @id`;
const SELECT_TASKS = `SELECT * FROM tasks WHERE orchestration_id = @orchestration_id ORDER BY id`;

/** One snapshot: the reads run in one transaction, so counts and tasks agree. */
export function getOrchestration(ctx: SqliteContext, orchestrationId: number): OrchestrationGraph | null {
  return ctx.db.transaction(() => {
    const row = ctx.statement(SELECT_ONE).get({ id: orchestrationId }) as orchestrationSql.OrchestrationRow | undefined;
    if (!row) return null;
    const byOrchestration = { orchestration_id: row.id };
    const counts = ctx
      .statement(orchestrationSql.ORCHESTRATION_COUNTS)
      .all(orchestrationSql.countRange([row])) as orchestrationSql.CountRow[];
    const tasks = (ctx.statement(SELECT_TASKS).all(byOrchestration) as TaskRow[]).map(toTaskRecord);
    const edges = ctx.statement(orchestrationSql.ORCHESTRATION_EDGES).all(byOrchestration) as {
      task_id: number;
      identifier: string;
    }[];
    return {
      orchestration: orchestrationSql.toOrchestrationRecords([row], counts)[0]!,
      tasks: orchestrationSql.withDependencies(tasks, edges),
    };
  })();
}

export function listOrchestrations(ctx: SqliteContext, filter: { beforeId?: number; limit: number }): OrchestrationRecord[] {
  return ctx.db.transaction(() => {
    const rows = ctx
      .statement(`SELECT * FROM orchestrations WHERE id < @before_id ORDER BY id DESC LIMIT @limit`)
      .all({ before_id: filter.beforeId ?? Number.MAX_SAFE_INTEGER, limit: filter.limit }) as orchestrationSql.OrchestrationRow[];
    if (rows.length === 0) return [];
    const counts = ctx
      .statement(orchestrationSql.ORCHESTRATION_COUNTS)
      .all(orchestrationSql.countRange(rows)) as orchestrationSql.CountRow[];
    return orchestrationSql.toOrchestrationRecords(rows, counts);
  })();
}

export function dependencyResults(ctx: SqliteContext, taskId: number): DependencyResult[] {
  return ctx.statement(orchestrationSql.DEPENDENCY_RESULTS).all({ task_id: taskId }) as DependencyResult[];
}

export function dependencyHeads(ctx: SqliteContext, taskId: number): DependencyHead[] {
  return ctx.statement(orchestrationSql.DEPENDENCY_HEADS).all({ task_id: taskId }) as DependencyHead[];
}
