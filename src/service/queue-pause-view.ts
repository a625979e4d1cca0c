/** Turns the stored pause into the one every interface shows. */
import type { QueuePause } from '../core/queue-pause.js';
import type { QueuePauseRecord } from '../store/task-store.js';

export function toQueuePause(record: QueuePauseRecord | null): QueuePause | null {
  if (record === null) return null;
  return {
    kind: record.kind,
    reason: record.reason,
    paused_at: new Date(record.paused_at).toISOString(),
    paused_until: new Date(record.paused_until).toISOString(),
    probe_task_id: record.probe_task_id,
  };
}
