/** Submitting an orchestration: the orchestration, its tasks and their dependencies in one transaction. */
import * as orchestrationSql from '../sql/orchestrations.js';
import type { OrchestrationSpec } from '../orchestration-records.js';
import { insertTask } from '../sql/tasks.js';
import { notifyWork } from './notify.js';
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const INSERT_ORCHESTRATION = orchestrationSql.insertOrchestration(POSTGRES_DIALECT);
const INSERT_TASK = insertTask(POSTGRES_DIALECT, 'RETURNING id');

/** Returns the id of the new orchestration, or of the existing one with the same key. */
export async function submitOrchestration(
  ctx: PostgresContext,
  spec: OrchestrationSpec,
): Promise<{ id: number; deduplicated: boolean }> {
  return ctx.transaction(async (tx) => {
    const [inserted] = await tx.rows<{ id: number }>(INSERT_ORCHESTRATION, orchestrationSql.orchestrationParams(spec));
    if (!inserted) {
      // A statement of its own: it reads with a snapshot taken after the other submit committed.
      const [existing] = await tx.rows<{ id: number }>(orchestrationSql.SELECT_ORCHESTRATION_ID_BY_KEY, { key: spec.key });
      return { id: existing!.id, deduplicated: true };
    }
    const naming = orchestrationSql.nameOrchestrationParams(spec, inserted.id);
    if (naming) await tx.run(orchestrationSql.NAME_ORCHESTRATION, naming);
    const taskIds: number[] = [];
    for (const task of spec.tasks) {
      const [row] = await tx.rows<{ id: number }>(INSERT_TASK, orchestrationSql.orchestrationTaskParams(inserted.id, task));
      taskIds.push(row!.id);
    }
    for (const row of orchestrationSql.dependencyRows(spec, taskIds)) await tx.run(orchestrationSql.INSERT_DEPENDENCY, row);
    await notifyWork(tx, taskIds[0]!);
    return { id: inserted.id, deduplicated: false };
  });
}
