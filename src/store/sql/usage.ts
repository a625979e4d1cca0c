/** What the tasks that ended in the last days cost, per UTC day and model: one aggregate read, the same on both databases. */
import type { Dialect } from '../dialect.js';

const TOKEN_KEYS = ['input_tokens', 'output_tokens', 'cache_creation_input_tokens', 'cache_read_input_tokens'] as const;

/**
 * The tasks that ran (started_at set: a skipped or cancelled-before-start
 * task cost nothing) and ended since 00:00 UTC of the day @days_back days
 * ago. The CASTs give PostgreSQL's sums of integers (numeric) back as
 * bigint; within a day the default model (NULL) comes last on both databases.
 */
export function usageByDayAndModel(d: Dialect): string {
  const day = d.utcDay('ended_at');
  const tokens = TOKEN_KEYS.map((key) => `CAST(COALESCE(sum(${d.jsonInteger('usage', key)}), 0) AS BIGINT) AS ${key}`);
  return `
  SELECT ${day} AS day, model,
         count(*) AS tasks,
         CAST(sum(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS BIGINT) AS failures,
         COALESCE(sum(cost_usd), 0) AS cost_usd,
         ${tokens.join(',\n         ')}
    FROM tasks
   WHERE ended_at >= ${d.utcDayStart('@days_back')} AND started_at IS NOT NULL
   GROUP BY ${day}, model
   ORDER BY ${day}, model IS NULL, model`;
}
