/** Submitting an orchestration: the orchestration, its tasks and their dependencies in one transaction. */
import * as orchestrationSql from '../sql/orchestrations.js';
import type { OrchestrationSpec } from '../orchestration-records.js';
import { insertTask } from '../sql/tasks.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const INSERT_ORCHESTRATION = orchestrationSql.insertOrchestration(SQLITE_DIALECT);
const INSERT_TASK = insertTask(SQLITE_DIALECT, 'RETURNING id');

/** Returns the id of the new orchestration, or of the existing one with the same key. */
export function submitOrchestration(ctx: SqliteContext, spec: OrchestrationSpec): { id: number; deduplicated: boolean } {
  // One write lock for all of it: two submits of one key get the same orchestration.
  return ctx.immediate(() => {
    const now = ctx.now();
    const inserted = ctx.statement(INSERT_ORCHESTRATION).get({ ...orchestrationSql.orchestrationParams(spec), now }) as
      { id: number } | undefined;
    if (!inserted) {
      const existing = ctx.statement(orchestrationSql.SELECT_ORCHESTRATION_ID_BY_KEY).get({ key: spec.key }) as { id: number };
      return { id: existing.id, deduplicated: true };
    }
    const { id } = inserted;
    const naming = orchestrationSql.nameOrchestrationParams(spec, id);
    if (naming) ctx.statement(orchestrationSql.NAME_ORCHESTRATION).run(naming);
    const taskIds = spec.tasks.map(
      (task) =>
        (ctx.statement(INSERT_TASK).get({ ...orchestrationSql.orchestrationTaskParams(id, task), now }) as { id: number }).id,
    );
    for (const row of orchestrationSql.dependencyRows(spec, taskIds)) ctx.statement(orchestrationSql.INSERT_DEPENDENCY).run(row);
    return { id, deduplicated: false };
  });
}
