import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { TaskStore } from '../../../src/store/task-store.js';
import { claimTask, type CurrentFixture, enqueueTask, runningTask, WORKER_A, WORKER_B } from './fixture.js';

const DAY_MS = 24 * 3600 * 1000;

export function describeMaintenanceContract(current: CurrentFixture): void {
  describe('recovery reads, counts and pruning', () => {
    it("lists a host's running attempts with the worker identity and the agent process", async () => {
      const { store } = current();
      const spawned = await runningTask(store);
      await store.recordSpawn(spawned.lease, { pid: 5150, pgid: 5150, procStartTime: '98765' });
      await enqueueTask(store);
      const elsewhere = await claimTask(store, WORKER_B);
      const notYetSpawned = await runningTask(store);

      const onA = (await store.runningAttemptsOnHost(WORKER_A.host)).sort((x, y) => x.lease.taskId - y.lease.taskId);
      expect(onA).toEqual([
        { lease: spawned.lease, attempt: 1, worker: WORKER_A, agent: { pid: 5150, pgid: 5150, procStartTime: '98765' } },
        { lease: notYetSpawned.lease, attempt: 1, worker: WORKER_A, agent: null },
      ]);
      expect(await store.runningAttemptsOnHost(WORKER_B.host)).toEqual([
        { lease: elsewhere.lease, attempt: 1, worker: WORKER_B, agent: null },
      ]);
      expect(await store.runningAttemptsOnHost('host-nobody-knows')).toEqual([]);

      await store.complete(spawned.lease, { final_summary: 'done', ...emptyRunStats() });
      expect((await store.runningAttemptsOnHost(WORKER_A.host)).map((a) => a.lease)).toEqual([notYetSpawned.lease]);
    });

    it('counts tasks in every status, zeros included, and the pending and running ones alone', async () => {
      const { store } = current();
      expect(await store.countActive()).toEqual({ pending: 0, running: 0 });
      expect(await store.countByStatus()).toEqual({
        pending: 0,
        running: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
        waiting: 0,
        skipped: 0,
      });

      const completed = await runningTask(store);
      await store.complete(completed.lease, { final_summary: 'done', ...emptyRunStats() });
      const failed = await runningTask(store);
      await store.fail(failed.lease, { error_code: 'crashed', error_message: 'exit 1' }, null);
      await runningTask(store);
      await store.requestCancel(await enqueueTask(store));
      await enqueueTask(store);
      await enqueueTask(store);

      expect(await store.countActive()).toEqual({ pending: 2, running: 1 });
      expect(await store.countByStatus()).toEqual({
        pending: 2,
        running: 1,
        completed: 1,
        failed: 1,
        cancelled: 1,
        waiting: 0,
        skipped: 0,
      });
    });

    it('prunes only terminal tasks older than their retention, measured from when they ended', async () => {
      const { store, clock } = current();
      const names = [
        'failedOld',
        'runningOld',
        'completedOld',
        'failedRecent',
        'cancelledOld',
        'completedRecent',
        'pendingOld',
      ] as const;
      const id = {} as Record<(typeof names)[number], number>;
      for (const name of names) id[name] = await enqueueTask(store, { execution_prompt: name });
      // Enqueued in this order and at one time, so claims take them in this order.
      const claimNext = async (expected: number) => {
        const claimed = await claimTask(store);
        expect(claimed.task.id).toBe(expected);
        return claimed.lease;
      };
      const fail = async (taskId: number) =>
        store.fail(await claimNext(taskId), { error_code: 'crashed', error_message: 'exit 1' }, null);
      const complete = async (taskId: number) =>
        store.complete(await claimNext(taskId), { final_summary: 'done', ...emptyRunStats() });

      await fail(id.failedOld);
      await claimNext(id.runningOld);
      await clock.advance(6 * DAY_MS);
      await complete(id.completedOld);
      await fail(id.failedRecent);
      await store.requestCancel(id.cancelledOld);
      await clock.advance(2 * DAY_MS);
      await complete(id.completedRecent);

      const policy = { finishedMaxAgeMs: DAY_MS, failedMaxAgeMs: 7 * DAY_MS };
      expect(await store.prune(policy, 1)).toBe(3);
      expect(await remainingIds(store)).toEqual(
        [id.runningOld, id.failedRecent, id.completedRecent, id.pendingOld].sort((a, b) => a - b),
      );
      expect(await store.prune(policy, 100)).toBe(0);
    });
  });
}

async function remainingIds(store: TaskStore): Promise<number[]> {
  return (await store.list({ limit: 100 })).map((t) => t.id).sort((a, b) => a - b);
}
