/** Turns registry rows into the worker list every interface shows. */
import type { QueuePause } from '../core/queue-pause.js';
import { WORKER_RETENTION_MS, type WorkerList } from '../core/worker.js';
import type { WorkerRecord } from '../store/worker-records.js';

export function toWorkerList(records: readonly WorkerRecord[], queuePause: QueuePause | null): WorkerList {
  return {
    workers: records.map(({ started_at, last_heartbeat_at, heartbeat_age_ms, ...fields }) => ({
      ...fields,
      started_at: new Date(started_at).toISOString(),
      last_heartbeat_at: new Date(last_heartbeat_at).toISOString(),
      heartbeat_age_seconds: Math.floor(heartbeat_age_ms / 1000),
    })),
    retention_seconds: WORKER_RETENTION_MS / 1000,
    queue_pause: queuePause,
  };
}
