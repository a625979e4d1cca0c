/** The metrics snapshot: counts and sums the exporter turns into gauges, counters and histograms. */
import type { TaskMetricsSnapshot } from '../metrics-records.js';
import {
  FAILURES_BY_CODE,
  oldestPendingAge,
  runTimings,
  toMetricsSnapshot,
  usageByModel,
  type RunTimingRow,
  type UsageRow,
} from '../sql/metrics.js';
import { SQLITE_DIALECT, type SqliteContext } from './context.js';

const OLDEST_PENDING_AGE = oldestPendingAge(SQLITE_DIALECT);
const RUN_TIMINGS = runTimings(SQLITE_DIALECT);
const USAGE_BY_MODEL = usageByModel((field) => `json_extract(usage, '$.${field}')`);

export function metricsSnapshot(ctx: SqliteContext): TaskMetricsSnapshot {
  // One read transaction: the numbers of one scrape agree with each other.
  return ctx.db.transaction(() => {
    const age = ctx.statement(OLDEST_PENDING_AGE).get({ now: ctx.now() }) as { age_ms: number | null };
    return toMetricsSnapshot(
      age.age_ms,
      ctx.statement(USAGE_BY_MODEL).all() as UsageRow[],
      ctx.statement(FAILURES_BY_CODE).all() as { error_code: string; count: number }[],
      ctx.statement(RUN_TIMINGS).all() as RunTimingRow[],
    );
  })();
}
