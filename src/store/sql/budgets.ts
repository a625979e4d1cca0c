/**
 * An orchestration's budget: once the cost its tasks reported reaches its
 * budget_usd, the tasks that have not started are skipped and the running
 * ones are asked to stop, all with error_code `budget_exceeded`. Both
 * databases run these statements as they are (see dialect.ts).
 */
import type { Dialect } from '../dialect.js';

/**
 * The orchestration of @task_id with what its tasks spent, when it has a
 * budget and that spend reached it; no row otherwise (a lone task, no budget,
 * money left).
 */
export const OVERSPENT_ORCHESTRATION_OF_TASK = `
  SELECT o.id, o.budget_usd, sum(t.cost_usd) AS spent_usd
    FROM orchestrations o
    JOIN tasks t ON t.orchestration_id = o.id
   WHERE o.id = (SELECT orchestration_id FROM tasks WHERE id = @task_id) AND o.budget_usd IS NOT NULL
   GROUP BY o.id, o.budget_usd
  HAVING sum(t.cost_usd) >= o.budget_usd`;

/** Its tasks that have not started (waiting for dependencies, or queued) never will. */
export function skipUnstarted(time: Dialect): string {
  return `
  UPDATE tasks SET status = 'skipped', ended_at = ${time.now}, error_code = 'budget_exceeded', error_message = @reason
   WHERE orchestration_id = @orchestration_id AND status IN ('waiting', 'pending')
  RETURNING id`;
}

/**
 * Its running tasks are asked to stop, already holding the error they end
 * with (decideStoppedRun reads it). A task someone already asked to cancel
 * keeps that request as it was.
 */
export function stopRunning(time: Dialect): string {
  return `
  UPDATE tasks SET cancel_requested_at = ${time.now}, error_code = 'budget_exceeded', error_message = @reason
   WHERE orchestration_id = @orchestration_id AND status = 'running' AND cancel_requested_at IS NULL
  RETURNING id`;
}

/** An OVERSPENT_ORCHESTRATION_OF_TASK row. */
export interface OverspentRow {
  id: number;
  budget_usd: number;
  spent_usd: number;
}

/** What enforcing a budget did: the tasks it skipped and the running ones it asked to stop. */
export interface BudgetStop {
  skipped: number[];
  stopping: number[];
}

export const NOTHING_STOPPED: BudgetStop = { skipped: [], stopping: [] };
