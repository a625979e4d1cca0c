/** Waking up when the store says tasks changed in this process, with a poll as the backstop for other processes. */
import type { TaskStore } from '../store/task-store.js';
import type { ChangeWatch } from './wait-for-tasks.js';

/**
 * Resolves when one of the tasks changes in this process (any task when
 * `taskIds` is 'any'), after `maxMs` (the backstop for other processes), or on abort.
 */
export function watchTasks(
  store: TaskStore,
  taskIds: readonly number[] | 'any',
  maxMs: number,
  signal?: AbortSignal,
): ChangeWatch {
  const watched = taskIds === 'any' ? null : new Set(taskIds);
  let cancel = () => {};
  const promise = new Promise<void>((resolve) => {
    const timer = setTimeout(done, maxMs);
    const unsubscribe = store.onTaskChanged((id) => (watched === null || watched.has(id)) && done());
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      signal?.removeEventListener('abort', done);
      resolve();
    }
    cancel = done;
  });
  return { promise, cancel };
}
