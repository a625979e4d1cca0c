/**
 * Versioned schema. Step N is recorded as version N in
 * `claude_worker_migrations`. Steps are only ever appended: a released step
 * is never edited, because databases in the field have already run it.
 */
import { DatabaseVersionError, type Migration } from '../migration.js';
import { EVENTS_STEP } from './events-migration.js';
import { PROGRESS_EVENTS_STEP } from './progress-events-migration.js';
import type { PostgresContext } from './pool.js';

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'tasks and their attempts',
    sql: `
      CREATE TABLE tasks (
        -- An identity never hands out the id of a pruned task again, so an old id
        -- never names a different task and newest-first paging by id stays stable.
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        status text NOT NULL CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled')),
        execution_prompt text NOT NULL,
        working_directory text NOT NULL,
        system_prompt text,
        model text,
        permission_mode text NOT NULL,
        max_turns integer,
        timeout_seconds integer NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL,
        started_at timestamptz,
        ended_at timestamptz,
        run_at timestamptz NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        max_attempts integer NOT NULL,
        cancel_requested_at timestamptz,
        last_action_cache text,
        final_summary text,
        error_code text,
        error_message text,
        cost_usd double precision,
        usage jsonb,
        num_turns integer,
        duration_ms bigint,
        session_id text,
        api_key_source text,
        lease_owner text,
        lease_token text,
        lease_expires_at timestamptz,
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
        task_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        attempt integer NOT NULL,
        lease_token text NOT NULL,
        worker_id text NOT NULL,
        host text NOT NULL,
        boot_id text NOT NULL,
        worker_pid integer NOT NULL,
        worker_start_time text,
        agent_pid integer,
        agent_pgid integer,
        agent_start_time text,
        started_at timestamptz NOT NULL,
        ended_at timestamptz,
        outcome text CHECK (outcome IN ('completed', 'failed', 'cancelled', 'lost')),
        error text,
        PRIMARY KEY (task_id, attempt)
      );
    `,
  },
  {
    name: 'task log lines',
    sql: `
      -- The readable log of every attempt, in the database so that any server
      -- sharing it can serve the log of a task another node ran. at_ms is the
      -- writing node's clock: a display time, never compared across nodes.
      CREATE TABLE task_log_lines (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        task_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        at_ms bigint NOT NULL,
        line text NOT NULL
      );
      CREATE INDEX task_log_lines_task ON task_log_lines (task_id, id);
    `,
  },
  {
    name: 'worker registry and required labels',
    sql: `
      -- A constant default: no table rewrite, existing tasks require nothing.
      -- No GIN index: claims ask "is the task's requirement contained in the
      -- worker's labels" (<@), which GIN's jsonb operator classes do not
      -- serve (they serve @>, the other direction). Claims walk the ready
      -- index oldest first and test each pending row; see claim.ts.
      ALTER TABLE tasks ADD COLUMN required_labels jsonb NOT NULL DEFAULT '{}'
        CHECK (jsonb_typeof(required_labels) = 'object');

      CREATE TABLE workers (
        id text PRIMARY KEY,
        name text NOT NULL,
        host text NOT NULL,
        pid integer NOT NULL,
        labels jsonb NOT NULL CHECK (jsonb_typeof(labels) = 'object'),
        capacity integer NOT NULL,
        lease_ms integer NOT NULL,
        state text NOT NULL CHECK (state IN ('active', 'draining', 'stopped')),
        started_at timestamptz NOT NULL,
        last_heartbeat_at timestamptz NOT NULL
      );
      -- Pruning and listing by the age of the last heartbeat.
      CREATE INDEX workers_last_heartbeat ON workers (last_heartbeat_at);
    `,
  },
  {
    name: 'orchestrations: task graphs, the waiting and skipped statuses',
    sql: `
      CREATE TABLE orchestrations (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL,
        key text,
        failure_policy text NOT NULL CHECK (failure_policy IN ('skip_dependents', 'continue')),
        pass_results boolean NOT NULL,
        created_at timestamptz NOT NULL,
        cancel_requested_at timestamptz
      );
      CREATE UNIQUE INDEX orchestrations_key ON orchestrations (key) WHERE key IS NOT NULL;

      ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
      ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
        CHECK (status IN ('pending', 'running', 'completed', 'failed', 'cancelled', 'waiting', 'skipped'));
      ALTER TABLE tasks ADD COLUMN orchestration_id bigint REFERENCES orchestrations (id);
      ALTER TABLE tasks ADD COLUMN identifier text;
      ALTER TABLE tasks ADD COLUMN initial_delay integer NOT NULL DEFAULT 0;
      -- An orchestration's tasks, in submit order.
      CREATE INDEX tasks_orchestration ON tasks (orchestration_id, id) WHERE orchestration_id IS NOT NULL;

      -- task_id runs only after depends_on_id ended.
      CREATE TABLE task_dependencies (
        task_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        depends_on_id bigint NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
        PRIMARY KEY (task_id, depends_on_id)
      );
      -- The tasks after one that just ended.
      CREATE INDEX task_dependents ON task_dependencies (depends_on_id);
    `,
  },
  {
    name: 'workspaces: isolation, base, branch, worktree, head and changes of a task',
    sql: `
      ALTER TABLE tasks
        ADD COLUMN isolation text NOT NULL DEFAULT 'none' CHECK (isolation IN ('worktree', 'none')),
        ADD COLUMN base_commit text,
        ADD COLUMN branch text,
        ADD COLUMN worktree_path text,
        ADD COLUMN head_commit text,
        ADD COLUMN changes_files integer,
        ADD COLUMN changes_insertions integer,
        ADD COLUMN changes_deletions integer,
        ADD COLUMN merged_at timestamptz,
        ADD COLUMN merge_commit text,
        -- The task a follow-up continues; a follow-up outlives its parent's deletion.
        ADD COLUMN continues bigint REFERENCES tasks (id) ON DELETE SET NULL;
    `,
  },
  {
    name: 'budgets: the most a task may cost, and the most an orchestration may spend',
    sql: `
      ALTER TABLE tasks ADD COLUMN max_budget_usd double precision;
      ALTER TABLE orchestrations ADD COLUMN budget_usd double precision;
      `,
  },
  {
    name: 'limits: the queue pause and the usage-limit hits of a task',
    sql: `
      ALTER TABLE tasks ADD COLUMN limit_hits integer NOT NULL DEFAULT 0;
      -- At most one pause, for every runner on the database.
      CREATE TABLE queue_pause (
        id integer PRIMARY KEY CHECK (id = 1),
        kind text NOT NULL,
        reason text NOT NULL,
        paused_at timestamptz NOT NULL,
        paused_until timestamptz NOT NULL,
        probe_task_id bigint,
        probe_started_at timestamptz
      );
    `,
  },
  EVENTS_STEP,
  PROGRESS_EVENTS_STEP,
];

/** The table that records which steps a database has run. */
export const MIGRATIONS_TABLE = 'claude_worker_migrations';

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (
    version integer PRIMARY KEY,
    name text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Applies the steps the database has not run yet; returns the resulting
 * version. Several nodes may start at once: everything runs in one
 * transaction under a transaction-level advisory lock, so one node migrates
 * while the others wait for the lock and then find the work done. (Even
 * `CREATE TABLE IF NOT EXISTS` fails with a unique violation when two
 * sessions run it at the same moment, hence the lock around all of it.)
 */
export async function migrate(ctx: PostgresContext, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  return ctx.transaction(async (tx) => {
    await tx.rows(`SELECT pg_advisory_xact_lock(hashtext(@lock))`, { lock: MIGRATIONS_TABLE });
    await tx.run(CREATE_MIGRATIONS_TABLE);
    const [{ version: found }] = (await tx.rows<{ version: number }>(
      `SELECT coalesce(max(version), 0) AS version FROM ${MIGRATIONS_TABLE}`,
    )) as [{ version: number }];
    if (found > migrations.length) throw new DatabaseVersionError(found, migrations.length);
    for (const [index, step] of migrations.entries()) {
      if (index < found) continue;
      // No parameters: sent as a simple query, so one step may hold many statements.
      await tx.run(step.sql);
      await tx.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, name) VALUES (@version, @name)`, {
        version: index + 1,
        name: step.name,
      });
    }
    return migrations.length;
  });
}
