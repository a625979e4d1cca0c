/**
 * Statements and parameters of orchestrations that both databases run as
 * they are (see dialect.ts), and the mapping of their rows. Statements that
 * write a time take the dialect's clock.
 */
import { defaultOrchestrationName, type FailurePolicy } from '../../core/orchestration.js';
import type { TaskStatus } from '../../core/task.js';
import type { Dialect } from '../dialect.js';
import type { OrchestrationRecord, OrchestrationSpec, OrchestrationTaskSpec } from '../orchestration-records.js';
import type { TaskRecord } from '../task-store.js';
import { countsByStatus, insertTaskParams } from './tasks.js';

/**
 * No row back when another orchestration holds the key. On PostgreSQL a
 * concurrent submit of the same key waits for the first to commit, then
 * inserts nothing (instead of failing on the unique index).
 */
export function insertOrchestration(time: Dialect): string {
  return `
  INSERT INTO orchestrations (name, key, failure_policy, pass_results, budget_usd, webhook_url, created_at)
  VALUES (@name, @key, @failure_policy, CAST(@pass_results AS BOOLEAN), @budget_usd, @webhook_url, ${time.now})
  ON CONFLICT (key) WHERE key IS NOT NULL DO NOTHING
  RETURNING id`;
}

/** Names an orchestration inserted without a name, once its id is known. */
export const NAME_ORCHESTRATION = `UPDATE orchestrations SET name = @name WHERE id = @id`;

export const INSERT_DEPENDENCY = `INSERT INTO task_dependencies (task_id, depends_on_id) VALUES (@task_id, @depends_on_id)`;

export const SELECT_ORCHESTRATION_ID_BY_KEY = `SELECT id FROM orchestrations WHERE key = @key`;

/** The dependencies of an orchestration's tasks, by identifier. */
export const ORCHESTRATION_EDGES = `
  SELECT d.task_id, dep.identifier
    FROM task_dependencies d
    JOIN tasks t ON t.id = d.task_id
    JOIN tasks dep ON dep.id = d.depends_on_id
   WHERE t.orchestration_id = @orchestration_id
   ORDER BY d.task_id, dep.id`;

/** Task counts and spend per status of the orchestrations with ids in [@first_id, @last_id]. */
export const ORCHESTRATION_COUNTS = `
  SELECT orchestration_id, status, count(*) AS count, COALESCE(sum(cost_usd), 0) AS cost_usd
    FROM tasks
   WHERE orchestration_id BETWEEN @first_id AND @last_id
   GROUP BY orchestration_id, status`;

/** What a task that is about to run learns about the tasks it depends on (nothing when results are not passed). */
export const DEPENDENCY_RESULTS = `
  SELECT dep.identifier, dep.status, dep.final_summary, dep.error_message, dep.working_directory
    FROM task_dependencies d
    JOIN tasks t ON t.id = d.task_id
    JOIN orchestrations o ON o.id = t.orchestration_id
    JOIN tasks dep ON dep.id = d.depends_on_id
   WHERE d.task_id = @task_id AND o.pass_results
   ORDER BY dep.id`;

/** Where the work of each task that @task_id depends on ended, whether results are passed or not. */
export const DEPENDENCY_HEADS = `
  SELECT dep.identifier, dep.isolation, dep.head_commit
    FROM task_dependencies d
    JOIN tasks dep ON dep.id = d.depends_on_id
   WHERE d.task_id = @task_id
   ORDER BY dep.id`;

/** The graph context of a task that just ended; no row for a task outside any orchestration. */
export const ENDED_TASK_IN_GRAPH = `
  SELECT t.identifier, t.status, o.failure_policy
    FROM tasks t
    JOIN orchestrations o ON o.id = t.orchestration_id
   WHERE t.id = @task_id`;

/** Every task after @task_id in its graph, directly or not. */
const DESCENDANTS = `
  WITH RECURSIVE descendants(id) AS (
    SELECT task_id FROM task_dependencies WHERE depends_on_id = @task_id
    UNION
    SELECT d.task_id FROM task_dependencies d JOIN descendants ON d.depends_on_id = descendants.id
  )`;

/** The ids of every task after @task_id, in id order (PostgreSQL locks them in this order before resolving). */
export const DESCENDANT_IDS = `${DESCENDANTS} SELECT id FROM descendants ORDER BY id`;

/** Under skip_dependents: every waiting task after one that did not complete is skipped, with @reason. */
export function skipDescendants(time: Dialect): string {
  return `${DESCENDANTS}
  UPDATE tasks SET status = 'skipped', ended_at = ${time.now}, error_message = @reason
   WHERE status = 'waiting' AND id IN (SELECT id FROM descendants)
  RETURNING id`;
}

/**
 * The waiting tasks right after @task_id whose dependencies are all done
 * become pending, runnable after their initial delay. Done: completed, or
 * under `continue` any end.
 */
export function promoteReadyDependents(time: Dialect): string {
  return `
  UPDATE tasks SET status = 'pending', run_at = ${time.afterSeconds('initial_delay')}
   WHERE status = 'waiting'
     AND id IN (SELECT task_id FROM task_dependencies WHERE depends_on_id = @task_id)
     AND NOT EXISTS (
       SELECT 1 FROM task_dependencies d JOIN tasks dep ON dep.id = d.depends_on_id
        WHERE d.task_id = tasks.id
          AND (dep.status IN ('pending', 'running', 'waiting')
               OR (@failure_policy = 'skip_dependents' AND dep.status <> 'completed')))
  RETURNING id`;
}

/** Cancelling an orchestration: its waiting tasks are skipped first, so that nothing is promoted meanwhile. */
export function skipWaitingOfOrchestration(time: Dialect): string {
  return `
  UPDATE tasks SET status = 'skipped', ended_at = ${time.now}, error_message = @reason
   WHERE orchestration_id = @orchestration_id AND status = 'waiting'
  RETURNING id`;
}

export function flagOrchestrationCancelled(time: Dialect): string {
  return `
  UPDATE orchestrations SET cancel_requested_at = COALESCE(cancel_requested_at, ${time.now})
   WHERE id = @orchestration_id
  RETURNING id`;
}

/** Its tasks that a cancel still affects, in id order. */
export const UNFINISHED_TASK_IDS_OF_ORCHESTRATION = `
  SELECT id FROM tasks WHERE orchestration_id = @orchestration_id AND status IN ('pending', 'running') ORDER BY id`;

/**
 * Parameters of insertOrchestration. Booleans are bound as 1/0: SQLite cannot
 * bind a boolean. Without a name the row holds '' until nameOrchestrationParams
 * names it after its id, in the same transaction.
 */
export function orchestrationParams(spec: OrchestrationSpec) {
  return {
    name: spec.name ?? '',
    key: spec.key,
    failure_policy: spec.failure_policy,
    pass_results: spec.pass_results ? 1 : 0,
    budget_usd: spec.budget_usd,
    webhook_url: spec.webhook_url ?? null,
  };
}

/** Parameters of NAME_ORCHESTRATION for a new orchestration `id`; null when the spec has a name of its own. */
export function nameOrchestrationParams(spec: OrchestrationSpec, id: number): { id: number; name: string } | null {
  return spec.name === null ? { id, name: defaultOrchestrationName(id) } : null;
}

/** The parameters of insertTask for a task of orchestration `orchestrationId`. */
export function orchestrationTaskParams(orchestrationId: number, task: OrchestrationTaskSpec) {
  return insertTaskParams(task, {
    status: task.depends_on.length === 0 ? 'pending' : 'waiting',
    orchestration_id: orchestrationId,
    identifier: task.identifier,
    initial_delay: task.initial_delay,
  });
}

/**
 * The dependency rows of a new orchestration, from the ids its tasks were
 * given (in spec order). The graph was validated before: every name resolves.
 */
export function dependencyRows(spec: OrchestrationSpec, ids: readonly number[]): { task_id: number; depends_on_id: number }[] {
  const idOf = new Map(spec.tasks.map((task, i) => [task.identifier, ids[i]!]));
  return spec.tasks.flatMap((task, i) =>
    [...new Set(task.depends_on)].map((name) => ({ task_id: ids[i]!, depends_on_id: idOf.get(name)! })),
  );
}

/** An `orchestrations` row as both stores read it (times already in epoch ms). */
export interface OrchestrationRow {
  id: number;
  name: string;
  key: string | null;
  failure_policy: FailurePolicy;
  /** 1/0 from SQLite, true/false from PostgreSQL. */
  pass_results: number | boolean;
  created_at: number;
  cancel_requested_at: number | null;
  budget_usd: number | null;
  webhook_url: string | null;
}

export interface CountRow {
  orchestration_id: number;
  status: TaskStatus;
  count: number;
  cost_usd: number;
}

/** Orchestration records from their rows and the ORCHESTRATION_COUNTS rows that cover them. */
export function toOrchestrationRecords(rows: readonly OrchestrationRow[], counts: readonly CountRow[]): OrchestrationRecord[] {
  return rows.map((row) => {
    const own = counts.filter((count) => count.orchestration_id === row.id);
    return {
      ...row,
      pass_results: Boolean(row.pass_results),
      counts: countsByStatus(own),
      spent_usd: own.reduce((sum, count) => sum + Number(count.cost_usd), 0),
    };
  });
}

/** Counts parameters covering the given orchestrations (ORCHESTRATION_COUNTS reads a range of ids). */
export function countRange(rows: readonly { id: number }[]): { first_id: number; last_id: number } {
  const ids = rows.map((row) => row.id);
  return { first_id: Math.min(...ids), last_id: Math.max(...ids) };
}

/** Attaches each task's dependencies (ORCHESTRATION_EDGES rows) to it. */
export function withDependencies(
  tasks: readonly TaskRecord[],
  edges: readonly { task_id: number; identifier: string }[],
): (TaskRecord & { depends_on: string[] })[] {
  const dependsOn = new Map<number, string[]>();
  for (const edge of edges) dependsOn.set(edge.task_id, [...(dependsOn.get(edge.task_id) ?? []), edge.identifier]);
  return tasks.map((task) => ({ ...task, depends_on: dependsOn.get(task.id) ?? [] }));
}
