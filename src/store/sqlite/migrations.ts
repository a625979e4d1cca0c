/**
 * Versioned schema. Step N brings `PRAGMA user_version` to N. Steps are only
 * ever appended: a released step is never edited, because databases in the
 * field have already run it.
 */
import type Database from 'better-sqlite3';
import { DatabaseVersionError, type Migration } from '../migration.js';
import { EVENTS_STEP } from './events-migration.js';
import { PROGRESS_EVENTS_STEP } from './progress-events-migration.js';

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
  {
    // SQLite cannot change a CHECK constraint in place: the tasks table is
    // rebuilt (create, copy, drop, rename), with foreign keys off while it
    // runs (see migrate), as the SQLite documentation prescribes.
    name: 'orchestrations: task graphs, the waiting and skipped statuses',
    sql: `
      CREATE TABLE orchestrations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        key TEXT,
        failure_policy TEXT NOT NULL CHECK (failure_policy IN ('skip_dependents', 'continue')),
        pass_results INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        cancel_requested_at INTEGER
      );
      CREATE UNIQUE INDEX orchestrations_key ON orchestrations (key) WHERE key IS NOT NULL;

      CREATE TABLE tasks_rebuilt (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        status TEXT NOT NULL
          CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'waiting', 'skipped')),
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
        required_labels TEXT NOT NULL DEFAULT '{}' CHECK (json_type(required_labels) = 'object'),
        orchestration_id INTEGER REFERENCES orchestrations (id),
        identifier TEXT,
        initial_delay INTEGER NOT NULL DEFAULT 0,
        CHECK ((status = 'running') = (lease_token IS NOT NULL))
      );
      INSERT INTO tasks_rebuilt (
        id, status, execution_prompt, working_directory, system_prompt, model, permission_mode, max_turns,
        timeout_seconds, idempotency_key, created_at, started_at, ended_at, run_at, attempts, max_attempts,
        cancel_requested_at, last_action_cache, final_summary, error_code, error_message, cost_usd, usage,
        num_turns, duration_ms, session_id, api_key_source, lease_owner, lease_token, lease_expires_at,
        required_labels
      )
      SELECT
        id, status, execution_prompt, working_directory, system_prompt, model, permission_mode, max_turns,
        timeout_seconds, idempotency_key, created_at, started_at, ended_at, run_at, attempts, max_attempts,
        cancel_requested_at, last_action_cache, final_summary, error_code, error_message, cost_usd, usage,
        num_turns, duration_ms, session_id, api_key_source, lease_owner, lease_token, lease_expires_at,
        required_labels
      FROM tasks;
      DROP TABLE tasks;
      ALTER TABLE tasks_rebuilt RENAME TO tasks;

      CREATE INDEX tasks_ready ON tasks (run_at, id) WHERE status = 'pending';
      CREATE INDEX tasks_lease_expiry ON tasks (lease_expires_at) WHERE status = 'running';
      CREATE UNIQUE INDEX tasks_idempotency_key ON tasks (idempotency_key) WHERE idempotency_key IS NOT NULL;
      CREATE INDEX tasks_status ON tasks (status, id);
      CREATE INDEX tasks_ended ON tasks (ended_at) WHERE ended_at IS NOT NULL;
      -- An orchestration's tasks, in submit order.
      CREATE INDEX tasks_orchestration ON tasks (orchestration_id, id) WHERE orchestration_id IS NOT NULL;

      -- task_id runs only after depends_on_id ended.
      CREATE TABLE task_dependencies (
        task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        depends_on_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        PRIMARY KEY (task_id, depends_on_id)
      );
      -- The tasks after one that just ended.
      CREATE INDEX task_dependents ON task_dependencies (depends_on_id);
    `,
  },
  {
    name: 'workspaces: isolation, base, branch, worktree, head and changes of a task',
    sql: `
      ALTER TABLE tasks ADD COLUMN isolation TEXT NOT NULL DEFAULT 'none' CHECK (isolation IN ('worktree', 'none'));
      ALTER TABLE tasks ADD COLUMN base_commit TEXT;
      ALTER TABLE tasks ADD COLUMN branch TEXT;
      ALTER TABLE tasks ADD COLUMN worktree_path TEXT;
      ALTER TABLE tasks ADD COLUMN head_commit TEXT;
      ALTER TABLE tasks ADD COLUMN changes_files INTEGER;
      ALTER TABLE tasks ADD COLUMN changes_insertions INTEGER;
      ALTER TABLE tasks ADD COLUMN changes_deletions INTEGER;
      ALTER TABLE tasks ADD COLUMN merged_at INTEGER;
      ALTER TABLE tasks ADD COLUMN merge_commit TEXT;
      -- The task a follow-up continues; a follow-up outlives its parent's deletion.
      ALTER TABLE tasks ADD COLUMN continues INTEGER REFERENCES tasks (id) ON DELETE SET NULL;
    `,
  },
  {
    name: 'budgets: the most a task may cost, and the most an orchestration may spend',
    sql: `
      ALTER TABLE tasks ADD COLUMN max_budget_usd REAL;
      ALTER TABLE orchestrations ADD COLUMN budget_usd REAL;
      `,
  },
  {
    name: 'limits: the queue pause and the usage-limit hits of a task',
    sql: `
      ALTER TABLE tasks ADD COLUMN limit_hits INTEGER NOT NULL DEFAULT 0;
      -- At most one pause, for every runner on the database.
      CREATE TABLE queue_pause (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        kind TEXT NOT NULL,
        reason TEXT NOT NULL,
        paused_at INTEGER NOT NULL,
        paused_until INTEGER NOT NULL,
        probe_task_id INTEGER,
        probe_started_at INTEGER
      );
    `,
  },
  EVENTS_STEP,
  PROGRESS_EVENTS_STEP,
];

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
  // A step that rebuilds a table drops the old one; with foreign keys on, that
  // would delete the rows that reference it (ON DELETE CASCADE). The pragma
  // is a no-op inside a transaction, hence around it; the check before the
  // commit proves the rebuilt tables still hold together.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const step of migrations.slice(checked(version()))) db.exec(step.sql);
      const broken = db.pragma('foreign_key_check') as unknown[];
      if (broken.length > 0) throw new Error(`migration left ${broken.length} broken foreign key reference(s)`);
      db.pragma(`user_version = ${target}`);
    }).immediate();
  } finally {
    db.pragma('foreign_keys = ON');
  }
  return target;
}
