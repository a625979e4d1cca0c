/**
 * What the SQLite and PostgreSQL stores decide and map the same way; each
 * store keeps only its SQL.
 */
import type { FailurePolicy } from '../core/orchestration.js';
import type { FailureCode, RunStats, TaskStatus } from '../core/task.js';
import type { WorkerProfile, WorkerState } from '../core/worker.js';
import { countsByStatus, labelsParam } from './shared-sql.js';
import type { RunningAttempt, TaskRecord } from './task-store.js';
import type { WorkerRecord } from './worker-records.js';
import type { OrchestrationRecord, OrchestrationSpec, OrchestrationTaskSpec } from './orchestration-records.js';

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
 * The error every cancelled task carries, whatever stage the cancel found it
 * at, so that `error_code` alone tells a cancel from a failure. Before it
 * started, as the parameters of the statements that cancel it then:
 */
export const CANCELLED_BEFORE_START_PARAMS = { error_code: 'cancelled', error_message: 'Cancelled before it started.' } as const;
export const CANCELLED_WHILE_RUNNING = {
  code: 'cancelled',
  message: 'Cancelled while it ran; the agent and every process it started were stopped.',
} as const;

/** How a running task ends once its runner carried out the cancel (or released it with a cancel requested). */
export const CANCELLED_RUN = {
  status: 'cancelled',
  error: CANCELLED_WHILE_RUNNING,
  attempt: { outcome: 'cancelled', error: null },
} as const;

export interface AbandonDecision {
  status: Extract<TaskStatus, 'cancelled' | 'pending' | 'failed'>;
  error: { code: Extract<FailureCode, 'cancelled' | 'lost'>; message: string };
}

/**
 * What becomes of a running task whose runner is gone: cancelled if a cancel
 * was requested, queued again while attempts are left, else failed as `lost`.
 * `reason` says what happened to the runner, in words that fit after "because".
 */
export function decideAbandon(
  row: { cancel_requested_at: number | null; attempts: number; max_attempts: number },
  reason: string,
): AbandonDecision {
  const tally = `${row.attempts} of ${row.max_attempts}`;
  if (row.cancel_requested_at !== null) {
    return { status: 'cancelled', error: { code: 'cancelled', message: `Cancelled while it ran; its runner was gone because ${reason}.` } };
  }
  if (row.attempts < row.max_attempts) {
    return { status: 'pending', error: { code: 'lost', message: `Attempt ${tally} was lost because ${reason}; the task will run again.` } };
  }
  return { status: 'failed', error: { code: 'lost', message: `The task was lost because ${reason}, and no attempts are left (${tally}).` } };
}

/** A row of the registry's `list` statement, labels decoded. */
export interface WorkerRow extends WorkerProfile {
  lease_ms: number;
  state: Exclude<WorkerState, 'lost'>;
  started_at: number;
  last_heartbeat_at: number;
  /** The store's now, read in the same statement. */
  now: number;
  running: number;
}

/**
 * A worker silent for longer than its own lease is `lost`: by then its
 * leases have expired too, and its tasks go to other workers. A stopped
 * worker said goodbye, so its silence is expected.
 */
export function toWorkerRecord(row: WorkerRow): WorkerRecord {
  const { lease_ms: leaseMs, now, running, state, ...fields } = row;
  const age = Math.max(0, now - row.last_heartbeat_at);
  const lost = state !== 'stopped' && age > leaseMs;
  return { ...fields, running: Number(running), state: lost ? 'lost' : state, heartbeat_age_ms: age };
}

// ---------------------------------------------------------------------------
// Orchestrations

/**
 * Tasks a transaction moved besides the one it was about (dependents
 * promoted or skipped), for the store to announce to listeners in this
 * process. A hint only: a rolled-back move announces a task that did not
 * change, and listeners simply read it again.
 */
export class MovedTasks {
  private moved: { taskId: number; status: TaskStatus }[] = [];

  note(taskIds: readonly number[], status: TaskStatus): void {
    for (const taskId of taskIds) this.moved.push({ taskId, status });
  }

  take(): { taskId: number; status: TaskStatus }[] {
    const moved = this.moved;
    this.moved = [];
    return moved;
  }
}

/** Why the tasks after `identifier` were skipped, for their error_message. */
export function skipReason(ended: { identifier: string; status: TaskStatus }): string {
  return `Skipped: it depends, directly or through other tasks, on task "${ended.identifier}", which ended ${ended.status}.`;
}

export const CANCELLED_ORCHESTRATION_REASON = 'Skipped: its orchestration was cancelled.';

/** A task ending in one of these skips its descendants under skip_dependents. */
export function skipsDescendants(status: TaskStatus, policy: FailurePolicy): boolean {
  return policy === 'skip_dependents' && status !== 'completed';
}

/** Parameters of insertOrchestration. Booleans are bound as 1/0: SQLite cannot bind a boolean. */
export function orchestrationParams(spec: OrchestrationSpec) {
  return { name: spec.name, key: spec.key, failure_policy: spec.failure_policy, pass_results: spec.pass_results ? 1 : 0 };
}

/** Parameters of insertOrchestrationTask. */
export function orchestrationTaskParams(orchestrationId: number, task: OrchestrationTaskSpec) {
  return {
    status: task.depends_on.length === 0 ? 'pending' : 'waiting',
    execution_prompt: task.execution_prompt,
    working_directory: task.working_directory,
    system_prompt: task.system_prompt,
    model: task.model,
    permission_mode: task.permission_mode,
    max_turns: task.max_turns,
    timeout_seconds: task.timeout_seconds,
    max_attempts: task.max_attempts,
    required_labels: labelsParam(task.required_labels),
    orchestration_id: orchestrationId,
    identifier: task.identifier,
    initial_delay: task.initial_delay,
  };
}

/**
 * The dependency rows of a new orchestration, from the ids its tasks were
 * given (in spec order). The graph was validated before: every name resolves.
 */
export function dependencyRows(spec: OrchestrationSpec, ids: readonly number[]): { task_id: number; depends_on_id: number }[] {
  const idOf = new Map(spec.tasks.map((task, i) => [task.identifier, ids[i]!]));
  return spec.tasks.flatMap((task, i) =>
    [...new Set(task.depends_on)].map((name) => ({ task_id: ids[i]!, depends_on_id: idOf.get(name)! })),
  );
}

/** An `orchestrations` row as both stores read it (times already in epoch ms). */
export interface OrchestrationRow {
  id: number;
  name: string;
  key: string | null;
  failure_policy: FailurePolicy;
  /** 1/0 from SQLite, true/false from PostgreSQL. */
  pass_results: number | boolean;
  created_at: number;
  cancel_requested_at: number | null;
}

export interface CountRow {
  orchestration_id: number;
  status: TaskStatus;
  count: number;
}

/** Orchestration records from their rows and the ORCHESTRATION_COUNTS rows that cover them. */
export function toOrchestrationRecords(rows: readonly OrchestrationRow[], counts: readonly CountRow[]): OrchestrationRecord[] {
  return rows.map((row) => ({
    ...row,
    pass_results: Boolean(row.pass_results),
    counts: countsByStatus(counts.filter((count) => count.orchestration_id === row.id)),
  }));
}

/** Counts parameters covering the given orchestrations (ORCHESTRATION_COUNTS reads a range of ids). */
export function countRange(rows: readonly { id: number }[]): { first_id: number; last_id: number } {
  const ids = rows.map((row) => row.id);
  return { first_id: Math.min(...ids), last_id: Math.max(...ids) };
}

/** Attaches each task's dependencies (ORCHESTRATION_EDGES rows) to it. */
export function withDependencies(
  tasks: readonly TaskRecord[],
  edges: readonly { task_id: number; identifier: string }[],
): (TaskRecord & { depends_on: string[] })[] {
  const dependsOn = new Map<number, string[]>();
  for (const edge of edges) dependsOn.set(edge.task_id, [...(dependsOn.get(edge.task_id) ?? []), edge.identifier]);
  return tasks.map((task) => ({ ...task, depends_on: dependsOn.get(task.id) ?? [] }));
}
