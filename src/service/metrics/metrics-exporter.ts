/** `GET /metrics`: the Prometheus text exposition, every value read from the store when it is scraped. */
import { Registry } from 'prom-client';
import type { TaskStore } from '../../store/task-store.js';
import type { MetricGroup } from './metric-group.js';
import { queueMetrics } from './queue-metrics.js';
import { taskMetrics } from './task-metrics.js';
import { workerMetrics } from './worker-metrics.js';

export interface MetricsExporter {
  /** The Content-Type of the exposition (text format 0.0.4). */
  readonly contentType: string;
  scrape(): Promise<string>;
}

export function createMetricsExporter(
  store: Pick<TaskStore, 'countByStatus' | 'metricsSnapshot' | 'listWorkers' | 'readQueuePause' | 'webhookBacklog'>,
): MetricsExporter {
  const registry = new Registry();
  const groups: MetricGroup[] = [taskMetrics(store, registry), workerMetrics(store, registry), queueMetrics(store, registry)];
  return {
    contentType: registry.contentType,
    async scrape() {
      await Promise.all(groups.map((group) => group.refresh()));
      return registry.metrics();
    },
  };
}
