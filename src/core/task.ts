/**
 * The task model shared by every door (REST, CLI, MCP, programmatic client).
 * Field names are the REST/JSON names; the original project's names are kept
 * where it had them (`execution_prompt`, `last_action_cache`, `final_summary`).
 */
import type { Labels } from './labels.js';

/** The most tasks (or orchestrations) one page of a list holds. */
export const MAX_LIST_LIMIT = 500;
/** The longest timeout a task may set: a week. */
export const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

/**
 * `waiting`: a task of an orchestration whose dependencies have not all ended;
 * `skipped`: it never ran because a dependency failed, was cancelled or was
 * skipped (or its orchestration was cancelled).
 */
export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled', 'waiting', 'skipped'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task in one of these states never changes again. One set, used everywhere (`--watch` included). */
export const TERMINAL_STATUSES: ReadonlySet<TaskStatus> = new Set(['completed', 'failed', 'cancelled', 'skipped']);

export function isTerminal(status: TaskStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}

export const PERMISSION_MODES = ['default', 'acceptEdits', 'bypassPermissions', 'plan', 'dontAsk'] as const;
export type PermissionMode = (typeof PERMISSION_MODES)[number];

/**
 * Why a task ended `failed` or `cancelled` (or was retried). Stable strings: scripts may match on them.
 */
export const FAILURE_CODES = [
  'agent_error', // the agent ended its turn with an error result
  'auth_failed', // Claude Code could not authenticate (API key rejected, not logged in)
  'max_turns', // the max_turns limit was reached before the agent finished
  'max_budget', // the agent's budget limit was reached
  'timeout', // the task ran past timeout_seconds and was stopped
  'crashed', // the agent process exited without a result (stderr tail in error_message)
  'no_result', // the agent process ended cleanly but never reported a result
  'spawn_failed', // the agent process could not be started
  'root_bypass_refused', // bypassPermissions as root without IS_SANDBOX=1
  'lost', // the runner that owned the task died and no attempts were left
  'cancelled', // a cancel was requested; every cancelled task carries it (error_message: at which stage)
  'setup_failed', // the task's git worktree could not be prepared, or its worktree.setup command failed
  'merge_conflict', // the work of the tasks it depends on could not be merged into one start (error_message names the files)
  'budget_exceeded', // its orchestration's budget_usd was spent: stopped while it ran, or skipped before it started
  'usage_limit', // on a pending task: it hit a usage or rate limit and waits for the reset (never a final failure)
  'api_unavailable', // the API could not be reached or failed (network error, 500, 529 overloaded); retried with backoff
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export interface TokenUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** What the agent reported about its run; present on completed and on most failed tasks. */
export interface RunStats {
  cost_usd: number | null;
  usage: TokenUsage | null;
  num_turns: number | null;
  duration_ms: number | null;
  session_id: string | null;
  /** Which credential Claude Code used (`ANTHROPIC_API_KEY`, `/login managed key`, `none`, ...). */
  api_key_source: string | null;
}

/**
 * Where a task's agent works: `worktree`, in a git worktree and branch of its
 * own made from `base_commit`; `none`, in the working directory itself.
 */
export const ISOLATION_MODES = ['worktree', 'none'] as const;
export type Isolation = (typeof ISOLATION_MODES)[number];

/** What a task's branch changed since its base (`git diff --shortstat`). */
export interface ChangeCounts {
  files: number;
  insertions: number;
  deletions: number;
}

/**
 * Where a task's work lives. `isolation` and `base_commit` are fixed at
 * submit; the runner records branch and worktree when it prepares them, and
 * head and changes when the agent stops; a merge of its branch records
 * merged_at and merge_commit. `continues` (the task this one follows up)
 * stays null until follow-ups set it.
 */
export interface TaskWorkspace {
  isolation: Isolation;
  /** The commit the task starts from; null with isolation `none`. */
  base_commit: string | null;
  branch: string | null;
  worktree_path: string | null;
  head_commit: string | null;
  changes: ChangeCounts | null;
  merge_commit: string | null;
  continues: number | null;
}

/** What a task is asked to do and how; fixed when it is submitted. */
export interface TaskDefinition {
  execution_prompt: string;
  working_directory: string;
  system_prompt: string | null;
  model: string | null;
  permission_mode: PermissionMode;
  max_turns: number | null;
  /** Claude Code stops the run once its estimated cost reaches this (the task fails with `max_budget`); null: no cap. */
  max_budget_usd: number | null;
  timeout_seconds: number;
  max_attempts: number;
  idempotency_key: string | null;
  /** Only a worker whose labels include every one of these pairs runs the task; `{}`: any worker. */
  required_labels: Labels;
  /** Receives this task's webhooks, besides the server-wide receiver; null: none of its own. */
  webhook_url: string | null;
}

/** The fields of a TaskDefinition, for code that goes through all of them (a select list, a comparison). */
export const TASK_DEFINITION_FIELDS = [
  'execution_prompt',
  'working_directory',
  'system_prompt',
  'model',
  'permission_mode',
  'max_turns',
  'max_budget_usd',
  'timeout_seconds',
  'max_attempts',
  'idempotency_key',
  'required_labels',
  'webhook_url',
] as const satisfies readonly (keyof TaskDefinition)[];

/** How far a task got; changes while it runs. */
export interface TaskState extends RunStats {
  id: number;
  status: TaskStatus;
  attempts: number;
  /** Runs stopped by a usage or rate limit; they go back to the queue and are not counted in `attempts`. */
  limit_hits: number;
  last_action_cache: string | null;
  final_summary: string | null;
  error_code: FailureCode | null;
  error_message: string | null;
}

/** Where a task belongs: the orchestration it was submitted in and its name there (null for a lone task). */
export interface TaskPlacement {
  orchestration_id: number | null;
  identifier: string | null;
}

/** A task as every interface shows it. Times are ISO 8601 UTC (`...Z`). */
export interface Task extends TaskDefinition, TaskState, TaskPlacement, TaskWorkspace {
  created_at: string;
  /** A pending task is not started before this time (a retry's backoff, a usage limit's reset); null otherwise. */
  not_before: string | null;
  started_at: string | null;
  ended_at: string | null;
  merged_at: string | null;
  cancel_requested: boolean;
}

export interface TaskPage {
  tasks: Task[];
  /** Pass back as `cursor` to read the next (older) page; null on the last page. */
  next_cursor: string | null;
}

/** What a wait for tasks saw: each task as it stands, and whether all had ended before the timeout. */
export interface WaitOutcome {
  tasks: Task[];
  all_terminal: boolean;
  waited_seconds: number;
}

export function emptyRunStats(): RunStats {
  return { cost_usd: null, usage: null, num_turns: null, duration_ms: null, session_id: null, api_key_source: null };
}
