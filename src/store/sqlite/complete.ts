/** Completing runs, a group at a time (see group-commit.ts), each fenced by its own lease. */
import { completedRun } from '../decisions.js';
import type { CompletedRun, Completion } from '../store-operations.js';
import type { SqliteContext } from './context.js';
import { leaseParams, type TaskRow } from './row.js';
import { endRun, SELECT_OWNED } from './run-end.js';

/**
 * All in one transaction: one commit, so one fsync, for the whole group. A
 * lease that no longer owns its task is passed over; the others complete.
 */
export function completeMany(ctx: SqliteContext, completions: readonly Completion[]): (CompletedRun | null)[] {
  return ctx.immediate(() =>
    completions.map(({ lease, result }) => {
      const row = ctx.statement(SELECT_OWNED).get(leaseParams(lease)) as TaskRow | undefined;
      if (!row) return null;
      endRun(ctx, lease, completedRun(result));
      return { status: 'completed', inGraph: row.orchestration_id !== null };
    }),
  );
}
