/** Workers (runner processes, on any node): how many tasks each runs, of how many it may. */
import { Gauge, type Registry } from 'prom-client';
import type { TaskStore } from '../../store/task-store.js';
import type { WorkerRecord } from '../../store/worker-records.js';
import type { MetricGroup } from './metric-group.js';

/** Stopped and lost workers stay listed for a day; they run nothing and offer no capacity. */
const LIVE_STATES: ReadonlySet<string> = new Set(['active', 'draining']);

export function workerMetrics(store: Pick<TaskStore, 'listWorkers'>, registry: Registry): MetricGroup {
  let workers: WorkerRecord[] = [];
  const labels = (worker: WorkerRecord) => ({ worker: worker.name, id: worker.id, state: worker.state });

  new Gauge({
    name: 'claude_worker_worker_running_tasks',
    help: 'Tasks each live worker holds leases on',
    labelNames: ['worker', 'id', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers) this.set(labels(worker), worker.running);
    },
  });
  new Gauge({
    name: 'claude_worker_worker_capacity',
    help: 'Tasks each live worker runs at once at most',
    labelNames: ['worker', 'id', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const worker of workers) this.set(labels(worker), worker.capacity);
    },
  });

  return {
    async refresh() {
      workers = (await store.listWorkers()).filter((worker) => LIVE_STATES.has(worker.state));
    },
  };
}
