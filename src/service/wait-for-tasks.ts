/**
 * The alternative to sleeping: one call that returns as soon as every task
 * has ended, or when the timeout passes. The wait wakes on the store's change
 * events where it has them (a local service) and polls as the backstop for
 * changes made in other processes, on the server side, where polling costs a
 * planner no tokens and a client no round trips.
 */
import { isTerminal, type Task, type WaitOutcome } from '../core/task.js';

/**
 * Common MCP clients give up on a tool call after 60 s by default, and many
 * HTTP proxies on a request after 60 s; a wait must answer before that, with
 * room for the round trip.
 */
export const MAX_WAIT_SECONDS = 50;
/** The backstop: changes other processes make reach this one no sooner. */
export const CHANGE_POLL_MS = 500;

export function clampWaitSeconds(requested: number): number {
  return Math.min(Math.max(requested, 0), MAX_WAIT_SECONDS);
}

/** A pending wake-up: resolves when one of the tasks may have changed, after `maxMs`, or on abort. */
export interface ChangeWatch {
  promise: Promise<void>;
  cancel(): void;
}

export type WatchChanges = (taskIds: readonly number[], maxMs: number, signal?: AbortSignal) => ChangeWatch;

/** Without change events: wake up after `maxMs` (or on abort). */
export const pollChanges: WatchChanges = (_taskIds, maxMs, signal) => {
  let cancel = () => {};
  const promise = new Promise<void>((resolve) => {
    const timer = setTimeout(done, maxMs);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    cancel = done;
  });
  return { promise, cancel };
};

export async function waitForTasks(
  get: (taskId: number) => Promise<Task>,
  taskIds: readonly number[],
  timeoutSeconds: number,
  options: { signal?: AbortSignal; watch?: WatchChanges } = {},
): Promise<WaitOutcome> {
  const { signal, watch = pollChanges } = options;
  const startedAt = Date.now();
  const deadline = startedAt + clampWaitSeconds(timeoutSeconds) * 1000;
  for (;;) {
    // Watch before reading, so a change between the read and the wait is not missed.
    const changed = watch(taskIds, Math.max(0, Math.min(CHANGE_POLL_MS, deadline - Date.now())), signal);
    // Unknown ids fail here, on the first round, with TaskNotFoundError.
    const tasks = await Promise.all(taskIds.map(get));
    const allTerminal = tasks.every((task) => isTerminal(task.status));
    if (allTerminal || Date.now() >= deadline || signal?.aborted) {
      changed.cancel();
      return { tasks, all_terminal: allTerminal, waited_seconds: Math.round((Date.now() - startedAt) / 100) / 10 };
    }
    await changed.promise;
  }
}
