/**
 * A family of metrics read from the store at scrape time, so that on several
 * nodes every scrape of the API sees the work of all of them (worker nodes
 * serve no HTTP). Each group registers its metrics once; before each scrape
 * the exporter calls `refresh`, and the metrics' collect callbacks report
 * what it read. A further family is one more group in the exporter's list.
 */
import type { TaskStore } from '../../store/task-store.js';

/** What the metric groups read from the store. */
export type MetricsStore = Pick<
  TaskStore,
  'countByStatus' | 'metricsSnapshot' | 'listWorkers' | 'readQueuePause' | 'webhookBacklog'
>;

export interface MetricGroup {
  /** Reads what the group's metrics report at this scrape. */
  refresh(): Promise<void>;
}
