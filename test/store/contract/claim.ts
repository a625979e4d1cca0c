import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import { claimTask, type CurrentFixture, enqueueTask, LEASE_MS, WORKER_A, WORKER_B, workerOn } from './fixture.js';

export function describeClaimContract(current: CurrentFixture): void {
  describe('claim', () => {
    it('runs the task under a fresh lease owned by the worker and counts the attempt', async () => {
      const { store } = current();
      const id = await enqueueTask(store);
      const claimed = await claimTask(store, WORKER_A);

      expect(claimed.attempt).toBe(1);
      expect(claimed.lease.taskId).toBe(id);
      expect(claimed.lease.token).toEqual(expect.any(String));
      expect(claimed.task).toMatchObject({ id, status: 'running', attempts: 1, lease_owner: WORKER_A.id, ended_at: null });
      expect(claimed.task.started_at).not.toBeNull();
      expect(claimed.task.lease_expires_at).toBe(claimed.task.started_at! + LEASE_MS);
      expect(await store.get(id)).toEqual(claimed.task);
    });

    it('returns null when nothing is pending', async () => {
      const { store } = current();
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      await enqueueTask(store);
      await claimTask(store);
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
    });

    it('mints a different lease token for every claim', async () => {
      const { store } = current();
      await enqueueTask(store);
      const first = await claimTask(store);
      await store.release(first.lease);
      const second = await claimTask(store);
      expect(second.lease.token).not.toBe(first.lease.token);
    });

    it('takes the task whose run_at came first, not the one with the lowest id', async () => {
      const { store, clock } = current();
      const a = await enqueueTask(store);
      await clock.advance(1000);
      const b = await enqueueTask(store);
      // a fails and is retried at once: its run_at is now later than b's.
      await clock.advance(1000);
      const claimedA = await claimTask(store);
      expect(claimedA.task.id).toBe(a);
      await store.fail(claimedA.lease, { error_code: 'crashed', error_message: 'boom' }, 0);
      await clock.advance(1000);
      const c = await enqueueTask(store);

      const order: number[] = [];
      for (let i = 0; i < 3; i++) order.push((await claimTask(store)).task.id);
      expect(order).toEqual([b, a, c]);
    });

    it('gives each of 50 tasks to exactly one of many concurrent claimers', async () => {
      const { store } = current();
      const ids = new Set<number>();
      for (let i = 0; i < 50; i++) ids.add(await enqueueTask(store, { execution_prompt: `task ${i}` }));

      const claims = await Promise.all(
        Array.from({ length: 60 }, (_, i) => store.claim(workerOn('host-a', `runner-${i}`), LEASE_MS)),
      );
      const claimedIds = claims.filter((c) => c !== null).map((c) => c.task.id);

      expect(claimedIds).toHaveLength(50);
      expect(new Set(claimedIds)).toEqual(ids);
      expect(claims.filter((c) => c === null)).toHaveLength(10);
      expect((await store.countByStatus()).running).toBe(50);
    });

    it('claims up to a limit at once, oldest first, each under its own lease', async () => {
      const { store } = current();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await enqueueTask(store, { execution_prompt: `task ${i}` }));
      const first = await store.claimMany(WORKER_A, LEASE_MS, 3);
      expect(first.map((c) => c.task.id)).toEqual(ids.slice(0, 3));
      expect(new Set(first.map((c) => c.lease.token)).size).toBe(3);
      expect(first.every((c) => c.attempt === 1 && c.task.lease_owner === WORKER_A.id)).toBe(true);
      // Fewer left than asked for: what there is.
      expect((await store.claimMany(WORKER_B, LEASE_MS, 10)).map((c) => c.task.id)).toEqual(ids.slice(3));
      expect(await store.claimMany(WORKER_B, LEASE_MS, 10)).toEqual([]);
      // Every lease works: the claimed tasks complete.
      for (const { lease } of first)
        expect(await store.complete(lease, { final_summary: 'done', ...emptyRunStats() })).toBe(true);
    });

    it('gives each of 40 tasks to exactly one of many concurrent batch claimers', async () => {
      const { store } = current();
      for (let i = 0; i < 40; i++) await enqueueTask(store, { execution_prompt: `task ${i}` });
      const batches = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.claimMany(workerOn('host-a', `runner-${i}`), LEASE_MS, 4)),
      );
      const claimedIds = batches.flat().map((c) => c.task.id);
      expect(claimedIds).toHaveLength(40);
      expect(new Set(claimedIds).size).toBe(40);
    });

    it('never claims a task again once its cancel was requested', async () => {
      const { store } = current();
      await enqueueTask(store);
      await enqueueTask(store);
      const released = await claimTask(store);
      const failed = await claimTask(store);
      await store.requestCancel(released.lease.taskId);
      await store.requestCancel(failed.lease.taskId);

      // Neither a graceful release nor a retryable failure puts it back in the queue.
      expect(await store.release(released.lease)).toBe(true);
      expect(await store.fail(failed.lease, { error_code: 'crashed', error_message: 'exit 1' }, 0)).toBe(true);

      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
      expect(await store.get(released.lease.taskId)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
      expect((await store.get(failed.lease.taskId))!.status).toBe('failed');
    });
  });
}
