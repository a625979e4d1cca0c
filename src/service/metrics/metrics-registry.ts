/** The prom-client registry behind the metrics exporter: every metric group, refreshed from the store before each scrape. */
import { Registry } from 'prom-client';
import type { MetricGroup, MetricsStore } from './metric-group.js';
import { queueMetrics } from './queue-metrics.js';
import { taskMetrics } from './task-metrics.js';
import { workerMetrics } from './worker-metrics.js';

export interface MetricsScrape {
  /** The Content-Type of the exposition (text format 0.0.4). */
  contentType: string;
  body: string;
}

export interface MetricsExporter {
  scrape(): Promise<MetricsScrape>;
}

export function metricsRegistry(store: MetricsStore): MetricsExporter {
  const registry = new Registry();
  const groups: MetricGroup[] = [taskMetrics(store, registry), workerMetrics(store, registry), queueMetrics(store, registry)];
  return {
    async scrape() {
      await Promise.all(groups.map((group) => group.refresh()));
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
