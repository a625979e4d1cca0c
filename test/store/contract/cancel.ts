import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import { type CurrentFixture, enqueueTask, LEASE_MS, runningTask, WORKER_B } from './fixture.js';

export function describeCancelContract(current: CurrentFixture): void {
  describe('cancel requests', () => {
    it('cancel a pending task at once', async () => {
      const { store } = current();
      const id = await enqueueTask(store);
      const result = await store.requestCancel(id);

      expect(result?.outcome).toBe('cancelled');
      expect(result?.task).toMatchObject({
        id,
        status: 'cancelled',
        error_code: 'cancelled',
        error_message: 'Cancelled before it started.',
      });
      expect(result?.task.ended_at).not.toBeNull();
      expect(result?.task.cancel_requested_at).not.toBeNull();
      expect(await store.get(id)).toEqual(result?.task);
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
    });

    it('flag a running task for its runner, keeping the time of the first request', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store);
      const first = await store.requestCancel(lease.taskId);
      await clock.advance(1000);
      // Read after the advance: a store on database time shifts stored times back instead of moving a clock.
      const flagged = await store.get(lease.taskId);
      const second = await store.requestCancel(lease.taskId);

      expect(first?.outcome).toBe('cancel_requested');
      expect(first?.task).toMatchObject({ status: 'running', ended_at: null });
      expect(first?.task.cancel_requested_at).not.toBeNull();
      expect(second?.outcome).toBe('cancel_requested');
      expect(second?.task.cancel_requested_at).toBe(flagged?.cancel_requested_at);
      expect((await store.heartbeat([lease], LEASE_MS))[0]?.cancelRequested).toBe(true);
    });

    it('change nothing on a task that already ended', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      const before = await store.get(lease.taskId);

      const result = await store.requestCancel(lease.taskId);
      expect(result?.outcome).toBe('already_ended');
      expect(result?.task).toEqual(before);
      expect(await store.get(lease.taskId)).toEqual(before);
    });

    it('return null for a task that does not exist', async () => {
      expect(await current().store.requestCancel(987_654)).toBeNull();
    });
  });
}
