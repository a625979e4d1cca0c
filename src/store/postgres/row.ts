/** Mapping between `tasks` rows and TaskRecords, and the SQL fragments every write shares. */
import { TASK_DEFINITION_FIELDS } from '../../core/task.js';
import type { Dialect } from '../dialect.js';
import { CHANGES_COLUMNS, changesOf } from '../sql/tasks.js';
import type { TaskRecord } from '../task-store.js';

export { LEASE_CLEARED, leaseParams, OWNED_BY_LEASE } from '../sql/tasks.js';

/** A `tasks` row as selected with TASK_COLUMNS. */
export interface TaskRow extends Omit<TaskRecord, 'changes'> {
  /** Proof of ownership: it never leaves the store inside a TaskRecord, only inside a Lease. */
  lease_token: string | null;
  changes_files: number | null;
  changes_insertions: number | null;
  changes_deletions: number | null;
}

export function toTaskRecord(row: TaskRow): TaskRecord {
  const {
    lease_token: _token,
    changes_files: _files,
    changes_insertions: _insertions,
    changes_deletions: _deletions,
    ...record
  } = row;
  return { ...record, changes: changesOf(row) };
}

/** A timestamptz as the epoch milliseconds of a TaskRecord (NULL stays NULL). */
export function epochMs(column: string): string {
  return `floor(extract(epoch FROM ${column}) * 1000)::bigint`;
}

/** `@param` milliseconds as an interval, for arithmetic on `now()`. */
export function msInterval(param: string): string {
  return `(${param}::double precision * interval '1 millisecond')`;
}

/** PostgreSQL's SQL: times are the database server's now() in timestamptz columns; JSON is jsonb. */
export const POSTGRES_DIALECT: Dialect = {
  now: 'now()',
  afterSeconds: (seconds) => `now() + make_interval(secs => ${seconds})`,
  msAhead: (param) => `(now() + ${msInterval(param)})`,
  msAgo: (param) => `(now() - ${msInterval(param)})`,
  epochMs,
  json: (param) => `${param}::jsonb`,
  // AT TIME ZONE turns now() into the UTC wall clock, and the day's start back into a timestamptz.
  utcDayStart: (daysBack) =>
    `((date_trunc('day', now() AT TIME ZONE 'UTC') - make_interval(days => ${daysBack})) AT TIME ZONE 'UTC')`,
  utcDay: (column) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
  jsonInteger: (column, key) => `(${column} ->> '${key}')::bigint`,
};

const TIME_COLUMNS = ['created_at', 'started_at', 'ended_at', 'run_at', 'cancel_requested_at', 'lease_expires_at', 'merged_at'];

const OTHER_COLUMNS = [
  'id',
  'status',
  ...TASK_DEFINITION_FIELDS,
  'attempts',
  'limit_hits',
  'last_action_cache',
  'final_summary',
  'error_code',
  'error_message',
  'cost_usd',
  'usage',
  'num_turns',
  'duration_ms',
  'session_id',
  'api_key_source',
  'lease_owner',
  'lease_token',
  'orchestration_id',
  'identifier',
  'isolation',
  'base_commit',
  'branch',
  'worktree_path',
  'head_commit',
  ...CHANGES_COLUMNS,
  'merge_commit',
  'continues',
];

/** The select list that reads a `tasks` row (or a RETURNING of one) as a TaskRow. */
export const TASK_COLUMNS = [...OTHER_COLUMNS, ...TIME_COLUMNS.map((c) => `${epochMs(c)} AS ${c}`)].join(', ');

/** The select list that reads an `orchestrations` row as an OrchestrationRow. */
export const ORCHESTRATION_COLUMNS = [
  'id',
  'name',
  'key',
  'failure_policy',
  'pass_results',
  'budget_usd',
  'webhook_url',
  `${epochMs('created_at')} AS created_at`,
  `${epochMs('cancel_requested_at')} AS cancel_requested_at`,
].join(', ');

/**
 * Writes what an agent reported. A figure that is absent or null keeps the
 * stored one (a crash report has no cost, but an earlier progress write may
 * have recorded the session id). Bind with `statsParams`.
 */
export const STATS_ASSIGNMENTS = `
  cost_usd = COALESCE(@cost_usd, cost_usd),
  usage = COALESCE(@usage::jsonb, usage),
  num_turns = COALESCE(@num_turns, num_turns),
  duration_ms = COALESCE(@duration_ms, duration_ms),
  session_id = COALESCE(@session_id, session_id),
  api_key_source = COALESCE(@api_key_source, api_key_source)`;

/**
 * Whether `taskId` can name a row at all. Ids are bigint: binding 1.5 or 1e20
 * would be an SQL error, where a lookup of an id that cannot exist should
 * simply find nothing (as it does on SQLite).
 */
export function isTaskId(taskId: number): boolean {
  return Number.isSafeInteger(taskId);
}
