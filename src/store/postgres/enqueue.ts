/** Adding a task: a new pending row, or the existing one with the same idempotency key. */
import { insertTask, insertTaskParams } from '../sql/tasks.js';
import type { EnqueueResult, EnqueueSpec } from '../task-store.js';
import { notifyWork } from './notify.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT, TASK_COLUMNS, toTaskRecord, type TaskRow } from './row.js';

// ON CONFLICT DO NOTHING: when another session is inserting the same key, this
// one waits for it to commit and then inserts nothing, instead of failing
// with a unique violation.
const INSERT = insertTask(
  POSTGRES_DIALECT,
  `ON CONFLICT (idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING ${TASK_COLUMNS}`,
);

// A statement of its own, so it reads with a snapshot taken after the
// conflicting insert committed.
const SELECT_BY_KEY = `SELECT ${TASK_COLUMNS} FROM tasks WHERE idempotency_key = @idempotency_key`;

export async function enqueue(ctx: PostgresContext, spec: EnqueueSpec): Promise<EnqueueResult> {
  const { row, deduplicated } = await ctx.transaction(async (tx) => {
    // Loops only if the task holding the key was pruned between the two statements.
    for (;;) {
      const [inserted] = await tx.rows<TaskRow>(INSERT, insertTaskParams(spec));
      if (inserted) {
        await notifyWork(tx, inserted.id);
        return { row: inserted, deduplicated: false };
      }
      const [existing] = await tx.rows<TaskRow>(SELECT_BY_KEY, { idempotency_key: spec.idempotency_key });
      if (existing) return { row: existing, deduplicated: true };
    }
  });
  return { task: toTaskRecord(row), deduplicated };
}
