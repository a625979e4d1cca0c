/**
 * Statements and parameters of tasks and their attempts that both databases
 * run as they are (see dialect.ts), and the mapping of their rows.
 */
import { sortedLabels } from '../../core/labels.js';
import { TASK_STATUSES, type ChangeCounts, type RunStats, type TaskStatus } from '../../core/task.js';
import type { Dialect } from '../dialect.js';
import type {
  ActiveCounts,
  AgentProcessInfo,
  EnqueueSpec,
  Lease,
  RunningAttempt,
  TaskProgress,
  WorkspaceProgress,
} from '../task-store.js';

/** Every transition out of `running` drops the lease (the CHECK constraint insists). */
export const LEASE_CLEARED = 'lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL';

/** The fence of every write a lease holder makes. */
export const OWNED_BY_LEASE = `id = @task_id AND lease_token = @token AND status = 'running'`;

export function leaseParams(lease: Lease): { task_id: number; token: string } {
  return { task_id: lease.taskId, token: lease.token };
}

export const RECORD_SPAWN = `
  UPDATE task_attempts
     SET agent_pid = @pid, agent_pgid = @pgid, agent_start_time = @start_time
   WHERE task_id = @task_id AND lease_token = @token
     AND EXISTS (SELECT 1 FROM tasks WHERE ${OWNED_BY_LEASE})`;

export function spawnParams(lease: Lease, agent: AgentProcessInfo) {
  return { ...leaseParams(lease), pid: agent.pid, pgid: agent.pgid, start_time: agent.procStartTime };
}

/**
 * A fenced write of some columns by the lease holder: a column whose
 * parameter is null keeps its stored value, so a later write never erases
 * what an earlier one recorded.
 */
function keepUnlessGiven(columns: readonly string[]): string {
  const assignments = columns.map((column) => `${column} = COALESCE(@${column}, ${column})`).join(', ');
  return `UPDATE tasks SET ${assignments} WHERE ${OWNED_BY_LEASE}`;
}

const PROGRESS_COLUMNS = ['last_action_cache', 'session_id', 'api_key_source'] as const;

export const RECORD_PROGRESS = keepUnlessGiven(PROGRESS_COLUMNS);

export function progressParams(lease: Lease, progress: TaskProgress) {
  return { ...leaseParams(lease), ...givenOrNull(PROGRESS_COLUMNS, progress) };
}

/** Each of `names` with its value in `values`, null when it has none (keepUnlessGiven keeps the stored one then). */
function givenOrNull<K extends string>(names: readonly K[], values: Partial<Record<K, unknown>>): Record<K, unknown> {
  return Object.fromEntries(names.map((name) => [name, values[name] ?? null])) as Record<K, unknown>;
}

/** The columns that hold a task's ChangeCounts: one integer each, all null or none. */
export const CHANGES_COLUMNS = ['changes_files', 'changes_insertions', 'changes_deletions'] as const;

const WORKSPACE_COLUMNS = ['base_commit', 'branch', 'worktree_path', 'head_commit'] as const;

export const RECORD_WORKSPACE = keepUnlessGiven([...WORKSPACE_COLUMNS, ...CHANGES_COLUMNS]);

export function workspaceParams(lease: Lease, workspace: WorkspaceProgress) {
  const { changes } = workspace;
  return {
    ...leaseParams(lease),
    ...givenOrNull(WORKSPACE_COLUMNS, workspace),
    changes_files: changes?.files ?? null,
    changes_insertions: changes?.insertions ?? null,
    changes_deletions: changes?.deletions ?? null,
  };
}

/**
 * Records that a task's branch was merged. Not fenced by a lease: only an
 * ended task is merged, and no runner owns it any more.
 */
export function recordMerge(d: Dialect): string {
  return `
  UPDATE tasks
     SET merged_at = ${d.now}, merge_commit = @merge_commit
   WHERE id = @task_id AND status IN ('completed', 'failed', 'cancelled')`;
}

/** A task's ChangeCounts from its three columns. */
export function changesOf(row: {
  changes_files: number | null;
  changes_insertions: number | null;
  changes_deletions: number | null;
}): ChangeCounts | null {
  if (row.changes_files === null || row.changes_insertions === null || row.changes_deletions === null) return null;
  return { files: row.changes_files, insertions: row.changes_insertions, deletions: row.changes_deletions };
}

/** `text` with every U+0000, which PostgreSQL cannot store, replaced by U+FFFD. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

export const COUNT_BY_STATUS = `SELECT status, count(*) AS count FROM tasks GROUP BY status`;

/**
 * Only the tasks that have not ended: two ranges of the (status, id) index,
 * as long as the queue, where COUNT_BY_STATUS reads an entry for every task
 * ever kept (~70 ms for 1,000,000 on SQLite).
 */
export const COUNT_ACTIVE = `SELECT status, count(*) AS count FROM tasks WHERE status IN ('pending', 'running') GROUP BY status`;

/** The rows of COUNT_ACTIVE as counts, zeros included. */
export function activeCounts(rows: readonly { status: TaskStatus; count: number }[]): ActiveCounts {
  const { pending, running } = countsByStatus(rows);
  return { pending, running };
}

/** Counts for every status, zeros included, from the rows of COUNT_BY_STATUS. */
export function countsByStatus(rows: readonly { status: TaskStatus; count: number }[]): Record<TaskStatus, number> {
  const counts = Object.fromEntries(TASK_STATUSES.map((status) => [status, 0])) as Record<TaskStatus, number>;
  for (const { status, count } of rows) counts[status] = Number(count);
  return counts;
}

// The attempt row of the current lease: older attempts of the task ended already.
export const RUNNING_ON_HOST = `
  SELECT t.id, t.lease_token, a.attempt, a.worker_id, a.host, a.boot_id, a.worker_pid, a.worker_start_time,
         a.agent_pid, a.agent_pgid, a.agent_start_time
    FROM tasks t
    JOIN task_attempts a ON a.task_id = t.id AND a.lease_token = t.lease_token
   WHERE t.status = 'running' AND a.host = @host
   ORDER BY t.id`;

/**
 * Agent figures as statement parameters. A figure that is absent stays null,
 * and the SQL keeps the stored value for it (`COALESCE`).
 */
export function statsParams(stats: Partial<RunStats> = {}): Record<keyof RunStats, string | number | null> {
  return {
    cost_usd: stats.cost_usd ?? null,
    usage: stats.usage ? JSON.stringify(stats.usage) : null,
    num_turns: stats.num_turns ?? null,
    // Whole milliseconds: PostgreSQL's bigint column refuses a fraction outright.
    duration_ms: stats.duration_ms == null ? null : Math.round(stats.duration_ms),
    session_id: stats.session_id ?? null,
    api_key_source: stats.api_key_source ?? null,
  };
}

/** The columns both stores select for a running attempt (tasks joined with the current attempt row). */
export interface RunningAttemptRow {
  id: number;
  lease_token: string;
  attempt: number;
  worker_id: string;
  host: string;
  boot_id: string;
  worker_pid: number;
  worker_start_time: string | null;
  agent_pid: number | null;
  agent_pgid: number | null;
  agent_start_time: string | null;
}

export function toRunningAttempt(row: RunningAttemptRow): RunningAttempt {
  return {
    lease: { taskId: row.id, token: row.lease_token },
    attempt: row.attempt,
    worker: {
      id: row.worker_id,
      host: row.host,
      bootId: row.boot_id,
      pid: row.worker_pid,
      procStartTime: row.worker_start_time,
    },
    agent:
      row.agent_pid === null || row.agent_pgid === null
        ? null
        : { pid: row.agent_pid, pgid: row.agent_pgid, procStartTime: row.agent_start_time },
  };
}

/**
 * A new task's row, for a task submitted on its own and for the tasks of an
 * orchestration alike; `tail` is what follows (ON CONFLICT, RETURNING). A
 * task becomes runnable `initial_delay` seconds after it is written (the
 * CAST gives PostgreSQL one type for the parameter's two uses).
 */
export function insertTask(d: Dialect, tail: string): string {
  return `
  INSERT INTO tasks (
    status, execution_prompt, working_directory, system_prompt, model, permission_mode, max_turns, max_budget_usd,
    timeout_seconds, max_attempts, idempotency_key, required_labels, isolation, base_commit, continues, branch, worktree_path,
    orchestration_id, identifier, initial_delay, webhook_url, created_at, run_at
  ) VALUES (
    @status, @execution_prompt, @working_directory, @system_prompt, @model, @permission_mode, @max_turns, @max_budget_usd,
    @timeout_seconds, @max_attempts, @idempotency_key, ${d.json('@required_labels')}, @isolation, @base_commit, @continues, @branch,
    @worktree_path, @orchestration_id, @identifier, @initial_delay, @webhook_url,
    ${d.now}, ${d.afterSeconds('CAST(@initial_delay AS INTEGER)')}
  )
  ${tail}`;
}

/** Where a new task sits: on its own (the default), or in an orchestration's graph. */
export interface NewTaskPlacement {
  status: Extract<TaskStatus, 'pending' | 'waiting'>;
  orchestration_id: number | null;
  identifier: string | null;
  initial_delay: number;
}

const ON_ITS_OWN: NewTaskPlacement = { status: 'pending', orchestration_id: null, identifier: null, initial_delay: 0 };

/** The parameters of insertTask; `required_labels` as JSON text, names in order. */
export function insertTaskParams(spec: EnqueueSpec, placement: NewTaskPlacement = ON_ITS_OWN) {
  return {
    execution_prompt: spec.execution_prompt,
    working_directory: spec.working_directory,
    system_prompt: spec.system_prompt,
    model: spec.model,
    permission_mode: spec.permission_mode,
    max_turns: spec.max_turns,
    max_budget_usd: spec.max_budget_usd,
    timeout_seconds: spec.timeout_seconds,
    max_attempts: spec.max_attempts,
    idempotency_key: spec.idempotency_key,
    required_labels: labelsParam(spec.required_labels),
    isolation: spec.isolation ?? 'none',
    base_commit: spec.base_commit ?? null,
    continues: spec.continues ?? null,
    branch: spec.branch ?? null,
    worktree_path: spec.worktree_path ?? null,
    webhook_url: spec.webhook_url,
    ...placement,
  };
}

/** Required labels as the JSON text both stores keep, names in order. */
export function labelsParam(labels: EnqueueSpec['required_labels']): string {
  return JSON.stringify(sortedLabels(labels ?? {}));
}

/**
 * Hands a running task back without counting its attempt: the refunded
 * attempt never happened, so started_at goes back to the previous attempt's
 * start (NULL when there was none). Its attempt row goes with DELETE_ATTEMPT.
 */
export function refundAttempt(d: Dialect): string {
  return `
  UPDATE tasks
     SET status = 'pending',
         run_at = ${d.now},
         attempts = attempts - 1,
         started_at = (SELECT started_at FROM task_attempts a
                        WHERE a.task_id = tasks.id AND a.attempt = tasks.attempts - 1),
         ${LEASE_CLEARED}
   WHERE id = @task_id`;
}

export const DELETE_ATTEMPT = `DELETE FROM task_attempts WHERE task_id = @task_id AND lease_token = @token`;
