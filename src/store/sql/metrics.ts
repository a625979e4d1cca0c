/** Metrics statements both databases run as they are (see dialect.ts); the token sums differ, in each dialect's module. */
import type { TaskStatus } from '../../core/task.js';
import type { Dialect } from '../dialect.js';
import type { TaskMetricsSnapshot } from '../metrics-records.js';

export function oldestPendingAge(d: Dialect): string {
  return `SELECT ${d.epochMs(d.now)} - min(${d.epochMs('created_at')}) AS age_ms FROM tasks WHERE status = 'pending'`;
}

export const FAILURES_BY_CODE = `
  SELECT error_code, count(*) AS count FROM tasks WHERE status = 'failed' AND error_code IS NOT NULL GROUP BY error_code`;

export function runTimings(d: Dialect): string {
  return `
  SELECT status,
         ${d.epochMs('started_at')} - ${d.epochMs('created_at')} AS queue_wait_ms,
         ${d.epochMs('ended_at')} - ${d.epochMs('started_at')} AS duration_ms
    FROM tasks WHERE started_at IS NOT NULL`;
}

/** Sums per model, given how the dialect reads one number out of the `usage` JSON. */
export function usageByModel(usageField: (field: string) => string): string {
  const sum = (field: string) => `coalesce(sum(${usageField(field)}), 0)`;
  return `
  SELECT model,
         coalesce(sum(cost_usd), 0) AS cost_usd,
         ${sum('input_tokens')} AS input_tokens,
         ${sum('output_tokens')} AS output_tokens,
         ${sum('cache_read_input_tokens')} AS cache_read_tokens,
         ${sum('cache_creation_input_tokens')} AS cache_creation_tokens
    FROM tasks WHERE cost_usd IS NOT NULL OR usage IS NOT NULL GROUP BY model`;
}

export interface UsageRow {
  model: string | null;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_creation_tokens: number;
}

export interface RunTimingRow {
  status: string;
  queue_wait_ms: number;
  duration_ms: number | null;
}

/** The rows of the statements above as the store reports them (PostgreSQL returns sums of bigints as text). */
export function toMetricsSnapshot(
  ageMs: number | string | null | undefined,
  usage: readonly UsageRow[],
  failures: readonly { error_code: string; count: number | string }[],
  runs: readonly RunTimingRow[],
): TaskMetricsSnapshot {
  return {
    oldestPendingAgeMs: ageMs === null || ageMs === undefined ? null : Math.max(0, Number(ageMs)),
    usageByModel: usage.map((row) => ({
      model: row.model,
      costUsd: Number(row.cost_usd),
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens),
      cacheReadTokens: Number(row.cache_read_tokens),
      cacheCreationTokens: Number(row.cache_creation_tokens),
    })),
    failuresByCode: failures.map((row) => ({ errorCode: row.error_code, count: Number(row.count) })),
    runs: runs.map((row) => ({
      status: row.status as TaskStatus,
      queueWaitMs: Math.max(0, Number(row.queue_wait_ms)),
      durationMs: row.duration_ms === null ? null : Math.max(0, Number(row.duration_ms)),
    })),
  };
}
