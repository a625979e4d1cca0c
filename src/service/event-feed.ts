/**
 * The outbox as interfaces show it: each stored event with the object it is
 * about, as the REST API returns it, and the live feed of them behind
 * `GET /api/v1/events`.
 */
import type { StateEvent } from '../core/events.js';
import type { EventRecord, TaskStore } from '../store/task-store.js';
import { toOrchestration } from './orchestration-view.js';
import { watchTasks } from './task-changes.js';
import { toTask } from './task-view.js';

/** The backstop: events written by other processes (another node, a worker) reach a feed no later. */
const FEED_POLL_MS = 500;
const PAGE = 100;

/**
 * The event with its task or orchestration as they are now (an event is
 * shown or sent after it happened; for the events that end something, the
 * object no longer changes).
 */
export async function toStateEvent(store: TaskStore, record: EventRecord): Promise<StateEvent> {
  const task = record.task_id === null ? null : await store.get(record.task_id);
  const orchestrationId = record.type.startsWith('orchestration.') ? record.orchestration_id : null;
  // The newest-first list from just above the id holds it alone, without its tasks.
  const [orchestration] =
    orchestrationId === null ? [] : await store.listOrchestrations({ beforeId: orchestrationId + 1, limit: 1 });
  return {
    id: record.id,
    type: record.type,
    at: new Date(record.at).toISOString(),
    task: task && toTask(task),
    orchestration: orchestration && orchestration.id === orchestrationId ? toOrchestration(orchestration) : null,
    data: record.data,
  };
}

/**
 * The events after `afterId` (after the newest one when undefined: only
 * what happens from now on), then each new one as it is recorded, until
 * `signal` aborts.
 */
export async function* followEvents(
  store: TaskStore,
  afterId: number | undefined,
  signal: AbortSignal,
): AsyncGenerator<StateEvent> {
  let after = afterId ?? (await store.lastEventId());
  while (!signal.aborted) {
    // Watch before reading, so a change between the read and the wait is not slept through.
    const changed = watchTasks(store, 'any', FEED_POLL_MS, signal);
    const page = await store.readEvents(after, PAGE);
    for (const record of page) {
      yield await toStateEvent(store, record);
      after = record.id;
    }
    if (page.length === PAGE) changed.cancel();
    await changed.promise;
  }
}
