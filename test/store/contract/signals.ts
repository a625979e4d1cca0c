import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import { type CurrentFixture, enqueueTask, runningTask } from './fixture.js';

/** Far beyond any test's timeout: a wait that resolves did so because of the event, not the backstop. */
const NEVER_MS = 60 * 60 * 1000;

export function describeSignalContract(current: CurrentFixture): void {
  describe('in-process signals', () => {
    it('waitForWork resolves when a task is enqueued', async () => {
      const { store } = current();
      const woken = store.waitForWork(new AbortController().signal, NEVER_MS);
      await enqueueTask(store);
      await woken;
    });

    it('waitForWork resolves when a task is handed back', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      const woken = store.waitForWork(new AbortController().signal, NEVER_MS);
      await store.release(lease);
      await woken;
    });

    it('waitForWork resolves on abort, and at once when already aborted', async () => {
      const { store } = current();
      const stop = new AbortController();
      const woken = store.waitForWork(stop.signal, NEVER_MS);
      stop.abort();
      await woken;
      await store.waitForWork(stop.signal, NEVER_MS);
    });

    it('onCancelRequested hears cancel requests for running tasks until unsubscribed', async () => {
      const { store } = current();
      const heard: number[] = [];
      const unsubscribe = store.onCancelRequested((id) => heard.push(id));
      const first = await runningTask(store);
      const second = await runningTask(store);

      await store.requestCancel(first.lease.taskId);
      unsubscribe();
      await store.requestCancel(second.lease.taskId);
      expect(heard).toEqual([first.lease.taskId]);
    });

    it('onTaskChanged hears every status change and progress write until unsubscribed', async () => {
      const { store } = current();
      const heard: number[] = [];
      const unsubscribe = store.onTaskChanged((id) => heard.push(id));

      const { lease } = await runningTask(store); // enqueue + claim
      await store.recordProgress(lease, { last_action_cache: '[Bash] npm test' });
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      const cancelled = await enqueueTask(store);
      await store.requestCancel(cancelled);
      expect(heard).toEqual([lease.taskId, lease.taskId, lease.taskId, lease.taskId, cancelled, cancelled]);

      unsubscribe();
      await enqueueTask(store);
      expect(heard).toHaveLength(6);
    });
  });
}
