/** What the store tells the metrics exporter, read at scrape time so every node's work is counted. */
import type { TaskStatus } from '../core/task.js';

/** Summed over every task the database keeps (retention deletes old ones). */
export interface ModelUsage {
  /** The model the task asked for; null: Claude Code's default. */
  model: string | null;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheCreationTokens: number;
}

/** A task that has started: how long it waited in the queue and, once ended, how long it ran. Milliseconds. */
export interface RunTiming {
  status: TaskStatus;
  /** From submission to its (last) start. */
  queueWaitMs: number;
  /** From its (last) start to its end; null while it runs. */
  durationMs: number | null;
}

export interface TaskMetricsSnapshot {
  /** How long the oldest pending task has waited, by the store's clock; null when none is pending. */
  oldestPendingAgeMs: number | null;
  usageByModel: ModelUsage[];
  /** Failed tasks by error_code. */
  failuresByCode: { errorCode: string; count: number }[];
  runs: RunTiming[];
}
