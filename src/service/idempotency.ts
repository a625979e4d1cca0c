/**
 * An idempotency key names one request. Sent again with the same request it
 * returns what the first one stored; sent with a different one it is a
 * mistake (a reused key, a client bug), answered with the fields that differ
 * instead of the stored task or orchestration.
 */
import { IdempotencyConflictError } from '../core/errors.js';
import { TASK_DEFINITION_FIELDS, type TaskDefinition } from '../core/task.js';
import type { OrchestrationGraph, OrchestrationSpec } from '../store/orchestration-records.js';
import type { EnqueueSpec } from '../store/task-store.js';

/** The fields of a definition a request fixes (the key itself aside). */
const DEFINITION_FIELDS = TASK_DEFINITION_FIELDS.filter((field) => field !== 'idempotency_key');

/** Throws IdempotencyConflictError when the task the key matched is not the one requested. */
export function checkSameTask(requested: EnqueueSpec, stored: TaskDefinition & { id: number }): void {
  const fields = differingDefinitionFields(requested, stored, '');
  if (fields.length > 0) throw new IdempotencyConflictError('task', stored.id, fields);
}

/**
 * Throws IdempotencyConflictError when the orchestration the key matched is
 * not the graph requested. The name is a label, not part of the graph: a
 * renamed resubmission gets the stored orchestration back.
 */
export function checkSameOrchestration(requested: OrchestrationSpec, stored: OrchestrationGraph): void {
  const { orchestration } = stored;
  const fields: string[] = [];
  if (requested.failure_policy !== orchestration.failure_policy) fields.push('failure_policy');
  if (requested.pass_results !== orchestration.pass_results) fields.push('pass_results');
  if (requested.budget_usd !== orchestration.budget_usd) fields.push('budget_usd');
  if (requested.tasks.length !== stored.tasks.length) {
    fields.push('tasks');
  } else {
    requested.tasks.forEach((task, i) => {
      const storedTask = stored.tasks[i]!;
      const prefix = `tasks[${i}].`;
      if (task.identifier !== storedTask.identifier) fields.push(`${prefix}identifier`);
      if (!sameValue([...task.depends_on].sort(), [...storedTask.depends_on].sort())) fields.push(`${prefix}depends_on`);
      fields.push(...differingDefinitionFields(task, storedTask, prefix));
    });
  }
  if (fields.length > 0) throw new IdempotencyConflictError('orchestration', orchestration.id, fields);
}

function differingDefinitionFields(requested: EnqueueSpec, stored: TaskDefinition, prefix: string): string[] {
  const wanted: Omit<TaskDefinition, 'idempotency_key'> = { ...requested, required_labels: requested.required_labels ?? {} };
  return DEFINITION_FIELDS.filter((field) => !sameValue(wanted[field], stored[field])).map((field) => prefix + field);
}

/** Equal as JSON, with object keys in any order (labels are a set of pairs). */
function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
