/** What the store keeps of orchestrations: the graph as submitted, and as read back. */
import type { FailurePolicy } from '../core/orchestration.js';
import type { Isolation, TaskStatus } from '../core/task.js';
import type { EnqueueSpec, TaskRecord } from './task-records.js';

/** A task of a new orchestration: what to run, and where it sits in the graph. */
export interface OrchestrationTaskSpec extends EnqueueSpec {
  identifier: string;
  /** Identifiers of tasks of the same orchestration (the graph is validated before it reaches the store). */
  depends_on: string[];
  /** Seconds between the end of its dependencies (or the submit, without any) and its start. */
  initial_delay: number;
}

export interface OrchestrationSpec {
  /** Null: the store names it defaultOrchestrationName(id) in the transaction that inserts it. */
  name: string | null;
  failure_policy: FailurePolicy;
  pass_results: boolean;
  key: string | null;
  budget_usd: number | null;
  /** Receives the webhooks of the orchestration and of each of its tasks, besides the server-wide receiver; absent: none. */
  webhook_url?: string | null;
  tasks: OrchestrationTaskSpec[];
}

/** An orchestration row as stored, with how many of its tasks are in each status. Times are epoch ms. */
export interface OrchestrationRecord {
  id: number;
  name: string;
  key: string | null;
  failure_policy: FailurePolicy;
  pass_results: boolean;
  created_at: number;
  cancel_requested_at: number | null;
  budget_usd: number | null;
  webhook_url: string | null;
  counts: Record<TaskStatus, number>;
  /** The sum of its tasks' cost_usd. */
  spent_usd: number;
}

/** An orchestration with its tasks (in submit order) and each task's dependencies by identifier. */
export interface OrchestrationGraph {
  orchestration: OrchestrationRecord;
  tasks: (TaskRecord & { depends_on: string[] })[];
}

export interface SubmitOrchestrationResult extends OrchestrationGraph {
  /** True when `key` matched an existing orchestration, which is returned instead. */
  deduplicated: boolean;
}

/** Where the work of a task that another depends on ended: the second one starts from it. */
export interface DependencyHead {
  identifier: string;
  isolation: Isolation;
  /** Null while it has no workspace (isolation none, or it ended before its worktree was made). */
  head_commit: string | null;
}

/** What a task that depends on another learns about it when it starts. */
export interface DependencyResult {
  identifier: string;
  status: TaskStatus;
  final_summary: string | null;
  error_message: string | null;
  working_directory: string;
}
