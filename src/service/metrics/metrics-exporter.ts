/**
 * `GET /metrics`: the Prometheus text exposition, every value read from the
 * store when it is scraped. prom-client (and the OpenTelemetry API it loads,
 * 85 files together) is loaded by the first scrape, not at server start: most
 * servers are never scraped.
 */
import type { TaskStore } from '../../store/task-store.js';

export type MetricsStore = Pick<
  TaskStore,
  'countByStatus' | 'metricsSnapshot' | 'listWorkers' | 'readQueuePause' | 'webhookBacklog'
>;

export interface MetricsScrape {
  /** The Content-Type of the exposition (text format 0.0.4). */
  contentType: string;
  body: string;
}

export interface MetricsExporter {
  scrape(): Promise<MetricsScrape>;
}

export function createMetricsExporter(store: MetricsStore): MetricsExporter {
  let registry: Promise<MetricsExporter> | null = null;
  return {
    scrape() {
      registry ??= import('./metrics-registry.js').then(({ metricsRegistry }) => metricsRegistry(store));
      return registry.then((loaded) => loaded.scrape());
    },
  };
}
