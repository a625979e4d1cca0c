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
import type { PostgresContext } from './pool.js';
import { POSTGRES_DIALECT } from './row.js';

const OLDEST_PENDING_AGE = oldestPendingAge(POSTGRES_DIALECT);
const RUN_TIMINGS = runTimings(POSTGRES_DIALECT);
const USAGE_BY_MODEL = usageByModel((field) => `(usage->>'${field}')::bigint`);

export async function metricsSnapshot(ctx: PostgresContext): Promise<TaskMetricsSnapshot> {
  // Four statements, each consistent on its own: a scrape is a sample, and a pooled read needs no lock.
  const [age, usage, failures, runs] = await Promise.all([
    ctx.rows<{ age_ms: number | null }>(OLDEST_PENDING_AGE),
    ctx.rows<UsageRow>(USAGE_BY_MODEL),
    ctx.rows<{ error_code: string; count: number }>(FAILURES_BY_CODE),
    ctx.rows<RunTimingRow>(RUN_TIMINGS),
  ]);
  return toMetricsSnapshot(age[0]?.age_ms, usage, failures, runs);
}
