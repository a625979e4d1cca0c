/** Adding a task: a new pending row, or the existing one with the same idempotency key. */
import { insertParams } from '../shared-sql.js';
import type { EnqueueResult, EnqueueSpec } from '../task-store.js';
import type { SqliteContext } from './context.js';
import { toTaskRecord, type TaskRow } from './row.js';

const SELECT_BY_KEY = `SELECT * FROM tasks WHERE idempotency_key = ?`;

const INSERT = `
  INSERT INTO tasks (
    status, execution_prompt, working_directory, system_prompt, model, permission_mode,
    max_turns, timeout_seconds, max_attempts, idempotency_key, required_labels, created_at, run_at
  ) VALUES (
    'pending', @execution_prompt, @working_directory, @system_prompt, @model, @permission_mode,
    @max_turns, @timeout_seconds, @max_attempts, @idempotency_key, @required_labels, @now, @now
  )
  RETURNING *`;

export function enqueue(ctx: SqliteContext, spec: EnqueueSpec): EnqueueResult {
  // Look-up and insert under one write lock: two processes submitting the same
  // key at once get the same task rather than a unique-constraint error.
  const { row, deduplicated } = ctx.immediate(() => {
    if (spec.idempotency_key !== null) {
      const existing = ctx.statement(SELECT_BY_KEY).get(spec.idempotency_key) as TaskRow | undefined;
      if (existing) return { row: existing, deduplicated: true };
    }
    const row = ctx.statement(INSERT).get({ ...insertParams(spec), now: ctx.now() }) as TaskRow;
    return { row, deduplicated: false };
  });
  return { task: toTaskRecord(row), deduplicated };
}
