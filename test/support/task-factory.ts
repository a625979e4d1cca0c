/** Tasks in any state, for the formatting tests. */
import type { Task } from '../../src/core/task.js';
import { taskSpec } from './task-spec.js';

export const NOW = Date.parse('2025-06-01T12:00:00.000Z');

export function task(overrides: Partial<Task> = {}): Task {
  return {
    id: 7,
    status: 'pending',
    ...taskSpec({ execution_prompt: 'Add tests' }),
    created_at: '2025-06-01T11:55:00.000Z',
    started_at: null,
    ended_at: null,
    last_action_cache: null,
    final_summary: null,
    error_code: null,
    error_message: null,
    cost_usd: null,
    usage: null,
    num_turns: null,
    duration_ms: null,
    session_id: null,
    api_key_source: null,
    attempts: 0,
    limit_hits: 0,
    not_before: null,
    cancel_requested: false,
    required_labels: {},
    orchestration_id: null,
    identifier: null,
    isolation: 'none',
    base_commit: null,
    branch: null,
    worktree_path: null,
    head_commit: null,
    changes: null,
    merged_at: null,
    merge_commit: null,
    continues: null,
    ...overrides,
  };
}
