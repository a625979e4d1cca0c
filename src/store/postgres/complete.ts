/**
 * Completing runs, a group at a time (see group-commit.ts): the tasks on
 * their own, as most are, in one autocommit statement for the whole group,
 * each row fenced by its own lease; a task of a graph in a transaction of
 * its own, which moves its dependents on.
 */
import { completedRun } from '../decisions.js';
import type { CompletedRun, Completion } from '../store-operations.js';
import { withoutNul } from '../sql/tasks.js';
import type { PostgresContext } from './pool.js';
import { LEASE_CLEARED } from './row.js';
import { endRun, whileOwned } from './run-end.js';

/** What an agent reports, as STATS_ASSIGNMENTS writes it: a figure not reported keeps the stored one. */
const STATS_COLUMNS = ['cost_usd', 'usage', 'num_turns', 'duration_ms', 'session_id', 'api_key_source'] as const;

// The fence of each row sits in the UPDATE's WHERE, as in END_LONE_RUN (run-end.ts): a
// concurrent writer (the reaper) holding a row makes this wait, and PostgreSQL then
// checks the WHERE again on the row that writer left, which no longer matches.
const COMPLETE_LONE_RUNS = `
  WITH given AS (
    SELECT * FROM jsonb_to_recordset(@completions::jsonb) AS c (
      task_id bigint, token text, final_summary text, cost_usd double precision, usage jsonb,
      num_turns integer, duration_ms bigint, session_id text, api_key_source text)
  ), ended AS (
    UPDATE tasks t
       SET status = 'completed',
           ended_at = now(),
           final_summary = COALESCE(c.final_summary, t.final_summary),
           error_code = NULL,
           error_message = NULL,
           ${STATS_COLUMNS.map((column) => `${column} = COALESCE(c.${column}, t.${column})`).join(', ')},
           ${LEASE_CLEARED}
      FROM given c
     WHERE t.id = c.task_id AND t.lease_token = c.token AND t.status = 'running' AND t.orchestration_id IS NULL
    RETURNING t.id, c.token
  ), attempt AS (
    UPDATE task_attempts a SET ended_at = now(), outcome = 'completed', error = NULL
      FROM ended
     WHERE a.task_id = ended.id AND a.lease_token = ended.token
  )
  SELECT id, token FROM ended`;

export async function completeMany(ctx: PostgresContext, completions: readonly Completion[]): Promise<(CompletedRun | null)[]> {
  const ended = await ctx.rows<{ id: number; token: string }>(COMPLETE_LONE_RUNS, {
    completions: JSON.stringify(completions.map(completionRow)),
  });
  const endedAlone = new Set(ended.map((row) => `${row.id}:${row.token}`));
  return Promise.all(
    completions.map(async ({ lease, result }): Promise<CompletedRun | null> => {
      // Taken once: the same lease twice in a group completes its task once.
      if (endedAlone.delete(`${lease.taskId}:${lease.token}`)) return { status: 'completed', inGraph: false };
      // A task of a graph, or a lease that no longer owns its task (then nothing is written).
      const status = await whileOwned(ctx, lease, async (tx) => {
        await endRun(tx, lease, completedRun(result));
        return 'completed' as const;
      });
      return status === null ? null : { status, inGraph: true };
    }),
  );
}

/**
 * One element of @completions. A figure not reported is left out (a missing
 * key reads as NULL, where a JSON null would be stored as jsonb 'null').
 * PostgreSQL refuses U+0000 in text, inside JSON too.
 */
function completionRow({ lease, result }: Completion) {
  return {
    task_id: lease.taskId,
    token: lease.token,
    final_summary: withoutNul(result.final_summary),
    cost_usd: result.cost_usd ?? undefined,
    usage: result.usage ?? undefined,
    num_turns: result.num_turns ?? undefined,
    // Whole milliseconds: the bigint column refuses a fraction.
    duration_ms: result.duration_ms == null ? undefined : Math.round(result.duration_ms),
    session_id: result.session_id == null ? undefined : withoutNul(result.session_id),
    api_key_source: result.api_key_source ?? undefined,
  };
}
