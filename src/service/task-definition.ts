/** What the store is given for a validated task: the server's defaults filled in where the caller left a field out. */
import type { Config } from '../core/config.js';
import type { CreateTaskInput } from '../core/schemas.js';
import type { EnqueueSpec } from '../store/task-store.js';

export type TaskDefaults = Pick<Config, 'permissionMode' | 'defaultTimeoutSeconds' | 'maxAttempts'>;

export function taskDefinition(
  input: Omit<CreateTaskInput, 'idempotency_key'> & { idempotency_key?: string | null | undefined },
  defaults: TaskDefaults,
): EnqueueSpec {
  return {
    execution_prompt: input.execution_prompt,
    working_directory: input.working_directory,
    system_prompt: input.system_prompt ?? null,
    model: input.model ?? null,
    permission_mode: input.permission_mode ?? defaults.permissionMode,
    max_turns: input.max_turns ?? null,
    max_budget_usd: input.max_budget_usd ?? null,
    timeout_seconds: input.timeout_seconds ?? defaults.defaultTimeoutSeconds,
    max_attempts: defaults.maxAttempts,
    idempotency_key: input.idempotency_key ?? null,
    webhook_url: input.webhook_url ?? null,
    ...(input.required_labels ? { required_labels: input.required_labels } : {}),
  };
}
