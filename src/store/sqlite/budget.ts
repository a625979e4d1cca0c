/** Enforcing an orchestration's budget after one of its tasks reported a cost (see sql/budgets.ts). */
import { budgetReasons } from '../decisions.js';
import * as budgetSql from '../sql/budgets.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const SKIP = budgetSql.skipUnstarted(SQLITE_DIALECT);
const STOP = budgetSql.stopRunning(SQLITE_DIALECT);

export function enforceBudget(ctx: SqliteContext, taskId: number): budgetSql.BudgetStop {
  return ctx.immediate(() => {
    const overspent = ctx.statement(budgetSql.OVERSPENT_ORCHESTRATION_OF_TASK).get({ task_id: taskId }) as
      budgetSql.OverspentRow | undefined;
    if (!overspent) return budgetSql.NOTHING_STOPPED;
    const reasons = budgetReasons(overspent);
    const params = { orchestration_id: overspent.id, now: ctx.now() };
    const skipped = ctx.statement(SKIP).all({ ...params, reason: reasons.skipped }) as { id: number }[];
    const stopping = ctx.statement(STOP).all({ ...params, reason: reasons.stopped }) as { id: number }[];
    return { skipped: skipped.map((row) => row.id), stopping: stopping.map((row) => row.id) };
  });
}
