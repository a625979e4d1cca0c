/**
 * A follow-up of an ended task (`continue`): a new task that goes on with the
 * same conversation, in the same worktree and on the same branch. Everything
 * but the message and the overrides comes from the task it continues.
 */
import type { Config } from '../core/config.js';
import { TaskNotEndedError } from '../core/errors.js';
import type { ContinueTaskInput } from '../core/schemas.js';
import type { TaskStatus } from '../core/task.js';
import type { EnqueueSpec, TaskRecord } from '../store/task-store.js';

/** A task in one of these states has a conversation to continue. */
const CONTINUABLE: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled']);

/**
 * The new task that continues `parent`. Its base is the parent's head, so
 * its diff shows what the follow-up itself changed. Throws TaskNotEndedError
 * for a parent that is still to run or running, or was skipped.
 */
export function followUpSpec(
  parent: TaskRecord,
  input: ContinueTaskInput,
  defaults: Pick<Config, 'defaultTimeoutSeconds' | 'maxAttempts'>,
): EnqueueSpec {
  if (!CONTINUABLE.has(parent.status)) throw new TaskNotEndedError(parent.id, parent.status);
  return {
    execution_prompt: input.message,
    working_directory: parent.working_directory,
    system_prompt: parent.system_prompt,
    model: input.model ?? parent.model,
    permission_mode: input.permission_mode ?? parent.permission_mode,
    max_turns: input.max_turns ?? parent.max_turns,
    max_budget_usd: input.max_budget_usd ?? parent.max_budget_usd,
    timeout_seconds: input.timeout_seconds ?? defaults.defaultTimeoutSeconds,
    max_attempts: defaults.maxAttempts,
    idempotency_key: null,
    required_labels: parent.required_labels,
    webhook_url: parent.webhook_url,
    isolation: parent.isolation,
    base_commit: parent.head_commit ?? parent.base_commit,
    continues: parent.id,
    branch: parent.branch,
    worktree_path: parent.worktree_path,
  };
}
