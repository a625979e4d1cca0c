/** Adding a task: a new pending row, or the existing one with the same idempotency key. */
import { insertTask, insertTaskParams } from '../sql/tasks.js';
import type { EnqueueResult, EnqueueSpec } from '../task-store.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';
import { toTaskRecord, type TaskRow } from './row.js';

const SELECT_BY_KEY = `SELECT * FROM tasks WHERE idempotency_key = ?`;

const INSERT = insertTask(SQLITE_DIALECT, 'RETURNING *');

export function enqueue(ctx: SqliteContext, spec: EnqueueSpec): EnqueueResult {
  // Look-up and insert under one write lock: two processes submitting the same
  // key at once get the same task rather than a unique-constraint error.
  const { row, deduplicated } = ctx.immediate(() => {
    if (spec.idempotency_key !== null) {
      const existing = ctx.statement(SELECT_BY_KEY).get(spec.idempotency_key) as TaskRow | undefined;
      if (existing) return { row: existing, deduplicated: true };
    }
    const row = ctx.statement(INSERT).get({ ...insertTaskParams(spec), now: ctx.now() }) as TaskRow;
    return { row, deduplicated: false };
  });
  return { task: toTaskRecord(row), deduplicated };
}
