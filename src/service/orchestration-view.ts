/** Turns stored orchestrations into what every interface shows, and a validated input into what the store takes. */
import type { CreateOrchestrationInput } from '../core/orchestration-schemas.js';
import { budgetSpent, orchestrationStatus, type Orchestration, type OrchestrationDetail } from '../core/orchestration.js';
import type { OrchestrationGraph, OrchestrationRecord, OrchestrationSpec } from '../store/orchestration-records.js';
import { taskDefinition, type TaskDefaults } from './task-definition.js';
import { toTask } from './task-view.js';

export function toOrchestration(record: OrchestrationRecord): Orchestration {
  const cancelRequested = record.cancel_requested_at !== null;
  return {
    id: record.id,
    name: record.name,
    key: record.key,
    failure_policy: record.failure_policy,
    pass_results: record.pass_results,
    status: orchestrationStatus(record.counts, cancelRequested, budgetSpent(record)),
    counts: record.counts,
    budget_usd: record.budget_usd,
    spent_usd: record.spent_usd,
    created_at: new Date(record.created_at).toISOString(),
    cancel_requested: cancelRequested,
    webhook_url: record.webhook_url,
  };
}

export function toOrchestrationDetail(graph: OrchestrationGraph): OrchestrationDetail {
  return {
    ...toOrchestration(graph.orchestration),
    tasks: graph.tasks.map((task) => ({ ...toTask(task), depends_on: task.depends_on })),
  };
}

/** The defaults a lone task gets apply to every task of the graph. */
export function orchestrationSpec(input: CreateOrchestrationInput, defaults: TaskDefaults): OrchestrationSpec {
  return {
    name: input.name ?? null,
    failure_policy: input.failure_policy ?? 'skip_dependents',
    pass_results: input.pass_results ?? true,
    key: input.key ?? null,
    budget_usd: input.budget_usd ?? null,
    webhook_url: input.webhook_url ?? null,
    tasks: input.tasks.map((task) => ({
      ...taskDefinition(task, defaults),
      identifier: task.identifier,
      depends_on: task.depends_on ?? [],
      initial_delay: task.initial_delay ?? 0,
    })),
  };
}
