/**
 * Versioned schema. Step N brings `PRAGMA user_version` to N. Steps are only
 * ever appended: a released step is never edited, because databases in the
 * field have already run it.
 */
import type Database from 'better-sqlite3';
import { ClaudeWorkerError } from '../../core/errors.js';

export interface Migration {
  /** What the step adds, for people reading the list. */
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'tasks and their attempts',
    sql: `
      CREATE TABLE tasks (
        -- AUTOINCREMENT: ids of pruned tasks are never handed out again, so an old id
        -- never names a different task and newest-first paging by id stays stable.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
        execution_prompt TEXT NOT NULL,
        working_directory TEXT NOT NULL,
        system_prompt TEXT,
        model TEXT,
        permission_mode TEXT NOT NULL,
        max_turns INTEGER,
        timeout_seconds INTEGER NOT NULL,
        idempotency_key TEXT,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        run_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        max_attempts INTEGER NOT NULL,
        cancel_requested_at INTEGER,
        last_action_cache TEXT,
        final_summary TEXT,
        error_code TEXT,
        error_message TEXT,
        cost_usd REAL,
        usage TEXT, -- JSON
        num_turns INTEGER,
        duration_ms INTEGER,
        session_id TEXT,
        api_key_source TEXT,
        lease_owner TEXT,
        lease_token TEXT,
        lease_expires_at INTEGER,
        CHECK ((status = 'running') = (lease_token IS NOT NULL))
      );

      -- The runnable set: claims read only pending rows, oldest run_at first.
      CREATE INDEX tasks_ready ON tasks (run_at, id) WHERE status = 'pending';
      -- The reaper's scan for expired leases.
      CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at) WHERE status = 'running';
      CREATE UNIQUE INDEX tasks_idempotency_key ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
      -- Newest-first listing filtered by status.
      CREATE INDEX tasks_status ON tasks (status, id);
      -- Pruning by age of terminal tasks.
      CREATE INDEX tasks_ended ON tasks (ended_at) WHERE ended_at IS NOT NULL;

      CREATE TABLE task_attempts (
        task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        attempt INTEGER NOT NULL,
        lease_token TEXT NOT NULL,
        worker_id TEXT NOT NULL,
        host TEXT NOT NULL,
        boot_id TEXT NOT NULL,
        worker_pid INTEGER NOT NULL,
        worker_start_time TEXT,
        agent_pid INTEGER,
        agent_pgid INTEGER,
        agent_start_time TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        outcome TEXT CHECK (outcome IN ('completed', 'failed', 'cancelled', 'lost')),
        error TEXT,
        PRIMARY KEY (task_id, attempt)
      );
    `,
  },
  {
    name: 'task log lines',
    sql: `
      -- The readable log of every attempt, in the database so that any server
      -- sharing it can serve the log of a task another node ran.
      CREATE TABLE task_log_lines (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        at_ms INTEGER NOT NULL,
        line TEXT NOT NULL
      );
      CREATE INDEX task_log_lines_task ON task_log_lines (task_id, id);
    `,
  },
  {
    name: 'worker registry and required labels',
    sql: `
      -- '{}' (no requirement) is what almost every task holds: claims test it
      -- first and only look inside the JSON of the others. The ready index
      -- stays the claim's access path; see claim.ts.
      ALTER TABLE tasks ADD COLUMN required_labels TEXT NOT NULL DEFAULT '{}'
        CHECK (json_type(required_labels) = 'object');

      CREATE TABLE workers (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        labels TEXT NOT NULL CHECK (json_type(labels) = 'object'),
        capacity INTEGER NOT NULL,
        lease_ms INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('active', 'draining', 'stopped')),
        started_at INTEGER NOT NULL,
        last_heartbeat_at INTEGER NOT NULL
      );
      -- Pruning and listing by the age of the last heartbeat.
      CREATE INDEX workers_last_heartbeat ON workers (last_heartbeat_at);
    `,
  },
];

/** The file was written by a newer version of claude-worker; running older code on it could corrupt it. */
export class DatabaseVersionError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(
      `The task database has schema version ${found}, but this claude-worker knows only up to ${supported}. ` +
        'Upgrade claude-worker, or point CLAUDE_WORKER_DB at another file.',
    );
    this.name = 'DatabaseVersionError';
  }
}

/**
 * Applies the steps the file has not run yet; returns the resulting version.
 * Several processes may open a new file at once: the steps run inside BEGIN
 * IMMEDIATE and the version is read again under that lock, so exactly one
 * process migrates and the others find the work done.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const version = (): number => db.pragma('user_version', { simple: true }) as number;
  const target = migrations.length;
  const checked = (found: number): number => {
    if (found > target) throw new DatabaseVersionError(found, target);
    return found;
  };
  // The common case (an up-to-date file) takes no write lock at all.
  if (checked(version()) === target) return target;
  db.transaction(() => {
    for (const step of migrations.slice(checked(version()))) db.exec(step.sql);
    db.pragma(`user_version = ${target}`);
  }).immediate();
  return target;
}
