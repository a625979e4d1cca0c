/** Enforcing an orchestration's budget after one of its tasks reported a cost (see sql/budgets.ts). */
import { budgetReasons } from '../decisions.js';
import * as budgetSql from '../sql/budgets.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const SKIP = budgetSql.skipUnstarted(POSTGRES_DIALECT);
const STOP = budgetSql.stopRunning(POSTGRES_DIALECT);

// The orchestration first, then its tasks in id order: the order a cancel of
// the orchestration locks them in.
const LOCK_ORCHESTRATION = `
  SELECT id FROM orchestrations WHERE id = (SELECT orchestration_id FROM tasks WHERE id = @task_id) FOR UPDATE`;
const LOCK_TASKS = `SELECT id FROM tasks WHERE orchestration_id = @orchestration_id ORDER BY id FOR UPDATE`;

/**
 * Runs after the task's end committed. Whatever the order in which tasks
 * ending at once commit and check, the check after the last commit sees
 * every cost, so the check needs no lock; only the writes take them. Most
 * tasks are on their own or have money left: one round trip for them.
 */
export async function enforceBudget(ctx: PostgresContext, taskId: number): Promise<budgetSql.BudgetStop> {
  if ((await ctx.rows(budgetSql.OVERSPENT_ORCHESTRATION_OF_TASK, { task_id: taskId })).length === 0) {
    return budgetSql.NOTHING_STOPPED;
  }
  return ctx.transaction(async (tx) => {
    if ((await tx.rows(LOCK_ORCHESTRATION, { task_id: taskId })).length === 0) return budgetSql.NOTHING_STOPPED;
    const [overspent] = await tx.rows<budgetSql.OverspentRow>(budgetSql.OVERSPENT_ORCHESTRATION_OF_TASK, { task_id: taskId });
    if (!overspent) return budgetSql.NOTHING_STOPPED;
    const reasons = budgetReasons(overspent);
    const params = { orchestration_id: overspent.id };
    await tx.rows(LOCK_TASKS, params);
    const skipped = await tx.rows<{ id: number }>(SKIP, { ...params, reason: reasons.skipped });
    const stopping = await tx.rows<{ id: number }>(STOP, { ...params, reason: reasons.stopped });
    return { skipped: skipped.map((row) => row.id), stopping: stopping.map((row) => row.id) };
  });
}
