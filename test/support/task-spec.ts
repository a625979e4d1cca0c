/** A complete task definition for tests and benchmarks that enqueue straight into a store. */
import type { EnqueueSpec } from '../../src/store/task-store.js';

export function taskSpec(overrides: Partial<EnqueueSpec> = {}): EnqueueSpec {
  return {
    execution_prompt: 'Refactor ./src/auth',
    working_directory: '/srv/project',
    system_prompt: null,
    model: null,
    permission_mode: 'acceptEdits',
    max_turns: null,
    max_budget_usd: null,
    timeout_seconds: 3600,
    max_attempts: 3,
    idempotency_key: null,
    webhook_url: null,
    ...overrides,
  };
}
