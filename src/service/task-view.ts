/** Turns a stored row into the task every interface shows. */
import type { Task } from '../core/task.js';
import type { TaskRecord } from '../store/task-store.js';

/** A stored time (epoch ms) as the interfaces show it: ISO 8601 UTC. */
export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toTask(record: TaskRecord): Task {
  return {
    id: record.id,
    status: record.status,
    execution_prompt: record.execution_prompt,
    working_directory: record.working_directory,
    system_prompt: record.system_prompt,
    model: record.model,
    permission_mode: record.permission_mode,
    max_turns: record.max_turns,
    max_budget_usd: record.max_budget_usd,
    timeout_seconds: record.timeout_seconds,
    created_at: new Date(record.created_at).toISOString(),
    started_at: iso(record.started_at),
    ended_at: iso(record.ended_at),
    last_action_cache: record.last_action_cache,
    final_summary: record.final_summary,
    error_code: record.error_code,
    error_message: record.error_message,
    cost_usd: record.cost_usd,
    usage: record.usage,
    num_turns: record.num_turns,
    duration_ms: record.duration_ms,
    session_id: record.session_id,
    api_key_source: record.api_key_source,
    attempts: record.attempts,
    limit_hits: record.limit_hits,
    not_before: record.status === 'pending' ? iso(record.run_at) : null,
    max_attempts: record.max_attempts,
    cancel_requested: record.cancel_requested_at !== null,
    idempotency_key: record.idempotency_key,
    required_labels: record.required_labels,
    webhook_url: record.webhook_url,
    orchestration_id: record.orchestration_id,
    identifier: record.identifier,
    isolation: record.isolation,
    base_commit: record.base_commit,
    branch: record.branch,
    worktree_path: record.worktree_path,
    head_commit: record.head_commit,
    changes: record.changes,
    merged_at: iso(record.merged_at),
    merge_commit: record.merge_commit,
    continues: record.continues,
  };
}
