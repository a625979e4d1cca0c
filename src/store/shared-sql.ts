/**
 * Statements both stores run as they are: they use only SQL that SQLite and
 * PostgreSQL read alike, with `@name` parameters (both stores bind by name).
 * Each store keeps the statements where the dialects differ.
 */
import { sortedLabels } from '../core/labels.js';
import { TASK_STATUSES, type TaskStatus } from '../core/task.js';
import { WORKER_RETENTION_MS } from '../core/worker.js';
import type { AgentProcessInfo, EnqueueSpec, Lease, LogLine, LogRange, TaskLogLine, TaskProgress } from './task-store.js';
import type { WorkerRegistration } from './worker-records.js';

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

export const RECORD_PROGRESS = `
  UPDATE tasks
     SET last_action_cache = COALESCE(@last_action_cache, last_action_cache),
         session_id = COALESCE(@session_id, session_id),
         api_key_source = COALESCE(@api_key_source, api_key_source)
   WHERE ${OWNED_BY_LEASE}`;

export function progressParams(lease: Lease, progress: TaskProgress) {
  return {
    ...leaseParams(lease),
    last_action_cache: progress.last_action_cache ?? null,
    session_id: progress.session_id ?? null,
    api_key_source: progress.api_key_source ?? null,
  };
}

export const READ_LOG_AFTER = `
  SELECT id, at_ms, line FROM task_log_lines
   WHERE task_id = @task_id AND id > @after_id
   ORDER BY id
   LIMIT @limit`;

export const READ_LOG_TAIL = `
  SELECT id, at_ms, line FROM (
    SELECT id, at_ms, line FROM task_log_lines WHERE task_id = @task_id ORDER BY id DESC LIMIT @tail
  ) AS recent
   ORDER BY id`;

export interface LogLineRow {
  id: number;
  at_ms: number;
  line: string;
}

/** The statement and parameters that read `range` of a task's log. */
export function readLogQuery(taskId: number, range: LogRange): { sql: string; params: Record<string, number> } {
  return 'tail' in range
    ? { sql: READ_LOG_TAIL, params: { task_id: taskId, tail: range.tail } }
    : { sql: READ_LOG_AFTER, params: { task_id: taskId, after_id: range.afterId, limit: range.limit } };
}

export function toLogLine(row: LogLineRow): LogLine {
  return { id: Number(row.id), at: Number(row.at_ms), text: row.line };
}

/**
 * Log lines as one JSON parameter, `[[task_id, at, text], ...]`, that each
 * dialect unpacks in order. U+0000 becomes U+FFFD: PostgreSQL refuses it in
 * text and jsonb, and one such line (a tool's binary output, say) would fail
 * every batch it is in.
 */
export function logLinesParam(lines: readonly TaskLogLine[]): string {
  return JSON.stringify(lines.map((line) => [line.taskId, line.at, withoutNul(line.text)]));
}

/** `text` with every U+0000, which PostgreSQL cannot store, replaced by U+FFFD. */
export function withoutNul(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

export const COUNT_BY_STATUS = `SELECT status, count(*) AS count FROM tasks GROUP BY status`;

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
 * Where the dialects differ in the worker registry's statements: how the
 * database tells time and reads a JSON parameter. Each store passes its
 * fragments to `registryStatements`.
 */
export interface RegistryDialect {
  /** Now, as a timestamp column holds it (SQLite: the `@now` parameter in ms; PostgreSQL: `now()`). */
  now: string;
  /** Now minus the milliseconds in parameter `param`. */
  msAgo(param: string): string;
  /** A timestamp expression as epoch milliseconds. */
  epochMs(expression: string): string;
  /** Parameter `param` (JSON text) as the labels column holds it. */
  json(param: string): string;
}

/**
 * The registry's statements. Running counts come from the leases each
 * worker holds: the tasks table is the truth, so a count cannot drift.
 */
export function registryStatements(d: RegistryDialect) {
  return {
    // started_at stays that of the first registration of the process.
    register: `
      INSERT INTO workers (id, name, host, pid, labels, capacity, lease_ms, state, started_at, last_heartbeat_at)
      VALUES (@id, @name, @host, @pid, ${d.json('@labels')}, @capacity, @lease_ms, @state, ${d.now}, ${d.now})
      ON CONFLICT (id) DO UPDATE
         SET name = excluded.name, labels = excluded.labels, capacity = excluded.capacity,
             lease_ms = excluded.lease_ms, state = excluded.state, last_heartbeat_at = excluded.last_heartbeat_at`,
    pruneSilent: `DELETE FROM workers WHERE last_heartbeat_at < ${d.msAgo('@retention_ms')}`,
    heartbeat: `UPDATE workers SET last_heartbeat_at = ${d.now} WHERE id = @id`,
    setState: `UPDATE workers SET state = @state, last_heartbeat_at = ${d.now} WHERE id = @id`,
    list: `
      SELECT w.id, w.name, w.host, w.pid, w.labels, w.capacity, w.lease_ms, w.state,
             ${d.epochMs('w.started_at')} AS started_at, ${d.epochMs('w.last_heartbeat_at')} AS last_heartbeat_at,
             ${d.epochMs(d.now)} AS now, COALESCE(r.running, 0) AS running
        FROM workers w
        LEFT JOIN (SELECT lease_owner, count(*) AS running FROM tasks WHERE status = 'running' GROUP BY lease_owner) r
          ON r.lease_owner = w.id
       WHERE w.last_heartbeat_at >= ${d.msAgo('@retention_ms')}
       ORDER BY w.name, w.started_at, w.id`,
  };
}

export function registrationParams(worker: WorkerRegistration) {
  return {
    id: worker.id,
    name: worker.name,
    host: worker.host,
    pid: worker.pid,
    labels: JSON.stringify(sortedLabels(worker.labels)),
    capacity: worker.capacity,
    lease_ms: worker.leaseMs,
    state: worker.state,
    retention_ms: WORKER_RETENTION_MS,
  };
}

/** The parameters of a new task's row; `required_labels` as JSON text, names in order. */
export function insertParams(spec: EnqueueSpec) {
  return {
    execution_prompt: spec.execution_prompt,
    working_directory: spec.working_directory,
    system_prompt: spec.system_prompt,
    model: spec.model,
    permission_mode: spec.permission_mode,
    max_turns: spec.max_turns,
    timeout_seconds: spec.timeout_seconds,
    max_attempts: spec.max_attempts,
    idempotency_key: spec.idempotency_key,
    required_labels: labelsParam(spec.required_labels),
  };
}

/** Required labels as the JSON text both stores keep, names in order. */
export function labelsParam(labels: EnqueueSpec['required_labels']): string {
  return JSON.stringify(sortedLabels(labels ?? {}));
}
