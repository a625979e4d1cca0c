/**
 * The queue pause (usage limit or daily budget) and the webhook deliveries
 * still owed: what an alert on an unattended queue watches.
 */
import { Gauge, type Registry } from 'prom-client';
import { PAUSE_KINDS } from '../../core/queue-pause.js';
import type { QueuePauseRecord, TaskStore } from '../../store/task-store.js';
import type { MetricGroup } from './metric-group.js';

export function queueMetrics(store: Pick<TaskStore, 'readQueuePause' | 'webhookBacklog'>, registry: Registry): MetricGroup {
  let pause: QueuePauseRecord | null = null;
  let backlog = 0;

  new Gauge({
    name: 'claude_worker_queue_paused',
    // As /health: paused also once the end has passed while the probe has not got through.
    help: 'Whether claiming is paused (1) or not (0), by what paused it',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      for (const kind of PAUSE_KINDS) this.set({ kind }, pause?.kind === kind ? 1 : 0);
    },
  });
  new Gauge({
    name: 'claude_worker_queue_paused_until_seconds',
    help: 'When the queue pause ends, in Unix seconds (0: not paused)',
    registers: [registry],
    collect() {
      this.set(pause === null ? 0 : pause.paused_until / 1000);
    },
  });
  new Gauge({
    name: 'claude_worker_webhook_backlog',
    help: 'Webhook deliveries still owed: neither delivered nor given up',
    registers: [registry],
    collect() {
      this.set(backlog);
    },
  });

  return {
    async refresh() {
      [pause, backlog] = await Promise.all([store.readQueuePause(), store.webhookBacklog()]);
    },
  };
}
