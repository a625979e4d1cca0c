/**
 * Tasks: how many in each status, the oldest pending task's age, how long
 * tasks wait and run, what they cost and which failures they end with.
 * Counters and histograms are sums over the tasks the database keeps, so
 * retention deleting old tasks shows as a counter reset.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { TASK_STATUSES, type TaskStatus } from '../../core/task.js';
import type { TaskMetricsSnapshot, TaskStore } from '../../store/task-store.js';
import type { MetricGroup } from './metric-group.js';

/** From a quick edit to a long refactor; the task timeout defaults to an hour. */
const DURATION_BUCKETS_SECONDS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];
/** From a free slot (sub-second) to a queue backed up for an hour. */
const QUEUE_WAIT_BUCKETS_SECONDS = [0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600];

const TOKEN_TYPES = [
  ['input', 'inputTokens'],
  ['output', 'outputTokens'],
  ['cache_read', 'cacheReadTokens'],
  ['cache_creation', 'cacheCreationTokens'],
] as const;

/** The label for tasks that named no model (Claude Code's default). */
const DEFAULT_MODEL = 'default';

export function taskMetrics(store: Pick<TaskStore, 'countByStatus' | 'metricsSnapshot'>, registry: Registry): MetricGroup {
  let counts: Record<TaskStatus, number> | null = null;
  let snapshot: TaskMetricsSnapshot | null = null;
  const registers = [registry];

  new Gauge({
    name: 'claude_worker_tasks',
    help: 'Tasks in each status',
    labelNames: ['status'],
    registers,
    collect() {
      for (const status of TASK_STATUSES) this.set({ status }, counts?.[status] ?? 0);
    },
  });
  new Gauge({
    name: 'claude_worker_oldest_pending_task_age_seconds',
    help: 'How long the oldest pending task has waited for a worker (0 when none is pending)',
    registers,
    collect() {
      this.set((snapshot?.oldestPendingAgeMs ?? 0) / 1000);
    },
  });
  new Histogram({
    name: 'claude_worker_task_duration_seconds',
    help: 'How long ended tasks ran, from their start to their end, by final status',
    labelNames: ['status'],
    buckets: DURATION_BUCKETS_SECONDS,
    registers,
    collect() {
      this.reset();
      for (const run of snapshot?.runs ?? []) {
        if (run.durationMs !== null) this.observe({ status: run.status }, run.durationMs / 1000);
      }
    },
  });
  new Histogram({
    name: 'claude_worker_task_queue_wait_seconds',
    help: 'How long started tasks waited, from their submission to their start',
    buckets: QUEUE_WAIT_BUCKETS_SECONDS,
    registers,
    collect() {
      this.reset();
      for (const run of snapshot?.runs ?? []) this.observe(run.queueWaitMs / 1000);
    },
  });
  new Counter({
    name: 'claude_worker_cost_usd_total',
    help: 'What the runs of tasks cost, in US dollars, by the model the task asked for',
    labelNames: ['model'],
    registers,
    collect() {
      this.reset();
      for (const usage of snapshot?.usageByModel ?? []) this.inc({ model: usage.model ?? DEFAULT_MODEL }, usage.costUsd);
    },
  });
  new Counter({
    name: 'claude_worker_tokens_total',
    help: 'Tokens the runs of tasks used, by the model the task asked for and token type',
    labelNames: ['model', 'type'],
    registers,
    collect() {
      this.reset();
      for (const usage of snapshot?.usageByModel ?? []) {
        for (const [type, field] of TOKEN_TYPES) this.inc({ model: usage.model ?? DEFAULT_MODEL, type }, usage[field]);
      }
    },
  });
  new Counter({
    name: 'claude_worker_task_failures_total',
    help: 'Failed tasks by error_code',
    labelNames: ['error_code'],
    registers,
    collect() {
      this.reset();
      for (const failure of snapshot?.failuresByCode ?? []) this.inc({ error_code: failure.errorCode }, failure.count);
    },
  });

  return {
    async refresh() {
      [counts, snapshot] = await Promise.all([store.countByStatus(), store.metricsSnapshot()]);
    },
  };
}
