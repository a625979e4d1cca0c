import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import { claimTask, type CurrentFixture, runningTask, WORKER_A, WORKER_B } from './fixture.js';

const LEASE = 10_000;
const RETRY_DELAY_MS = 20_000;

export function describeLeaseContract(current: CurrentFixture): void {
  describe('leases, heartbeats and the reaper', () => {
    it('heartbeat extends the lease, so a reap just after the old expiry leaves the task running', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store, {}, LEASE);
      await clock.advance(8_000);
      expect(await store.heartbeat([lease], LEASE)).toEqual([{ taskId: lease.taskId, owned: true, cancelRequested: false }]);

      await clock.advance(5_000); // 13 s after the claim: the first lease would be over
      expect(await store.reapExpired(0)).toEqual([]);
      expect((await store.get(lease.taskId))!.status).toBe('running');

      await clock.advance(6_000); // 11 s after the heartbeat: now it is over
      expect(await store.reapExpired(0)).toEqual([lease.taskId]);
    });

    it('heartbeat answers for every lease: owned or not, cancel requested or not', async () => {
      const { store, clock } = current();
      const quiet = await runningTask(store, {}, LEASE);
      const cancelled = await runningTask(store, {}, LEASE);
      const lost = await runningTask(store, {}, LEASE);
      await store.requestCancel(cancelled.lease.taskId);
      await store.complete(lost.lease, { final_summary: 'done', ...emptyRunStats() });
      await clock.advance(1000);

      const results = await store.heartbeat([quiet.lease, cancelled.lease, lost.lease], LEASE);
      expect(results).toEqual([
        { taskId: quiet.lease.taskId, owned: true, cancelRequested: false },
        { taskId: cancelled.lease.taskId, owned: true, cancelRequested: true },
        { taskId: lost.lease.taskId, owned: false, cancelRequested: false },
      ]);
      expect(await store.heartbeat([], LEASE)).toEqual([]);
    });

    it('reaps an expired lease with attempts left: pending after the delay, then claimed as attempt 2', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store, { max_attempts: 3 }, LEASE);
      await clock.advance(LEASE + 1);

      expect(await store.reapExpired(RETRY_DELAY_MS)).toEqual([lease.taskId]);
      const waiting = (await store.get(lease.taskId))!;
      expect(waiting).toMatchObject({
        status: 'pending',
        attempts: 1,
        lease_owner: null,
        lease_expires_at: null,
        ended_at: null,
      });
      expect(await store.claim(WORKER_B, LEASE)).toBeNull();

      await clock.advance(RETRY_DELAY_MS);
      const second = await claimTask(store, WORKER_B, LEASE);
      expect(second.task.id).toBe(lease.taskId);
      expect(second.attempt).toBe(2);
      expect(second.task.lease_owner).toBe(WORKER_B.id);
    });

    it('reaps the last attempt as failed, error_code lost, with a message that says what happened', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store, { max_attempts: 1 }, LEASE);
      await clock.advance(LEASE + 1);

      expect(await store.reapExpired(0)).toEqual([lease.taskId]);
      const task = (await store.get(lease.taskId))!;
      expect(task).toMatchObject({ status: 'failed', error_code: 'lost', lease_owner: null, lease_expires_at: null });
      expect(task.error_message).toMatch(/lease/);
      expect(task.error_message).toContain('1 of 1');
      expect(task.ended_at).not.toBeNull();
    });

    it('reaps a task whose cancel was requested as cancelled', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store, {}, LEASE);
      await store.requestCancel(lease.taskId);
      await clock.advance(LEASE + 1);

      expect(await store.reapExpired(0)).toEqual([lease.taskId]);
      expect(await store.get(lease.taskId)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
      expect(await store.claim(WORKER_B, LEASE)).toBeNull();
    });

    it('fences a stale lease: once the task was reaped and claimed again, the old token changes nothing', async () => {
      const { store, clock } = current();
      const stale = await runningTask(store, {}, LEASE);
      await clock.advance(LEASE + 1);
      await store.reapExpired(0);
      const rescuer = await claimTask(store, WORKER_B, LEASE);
      expect(rescuer.task.id).toBe(stale.lease.taskId);
      const before = await store.get(stale.lease.taskId);
      const attemptsBefore = await store.runningAttemptsOnHost(WORKER_B.host);

      const old = stale.lease;
      expect(await store.recordSpawn(old, { pid: 111, pgid: 111, procStartTime: '1' })).toBe(false);
      expect(await store.recordProgress(old, { last_action_cache: '[Write] stale.ts' })).toBe(false);
      expect(await store.heartbeat([old], LEASE)).toEqual([{ taskId: old.taskId, owned: false, cancelRequested: false }]);
      expect(await store.complete(old, { ...emptyRunStats(), final_summary: 'stale', cost_usd: 1 })).toBe(false);
      expect(await store.fail(old, { error_code: 'crashed', error_message: 'stale' }, 0)).toBe(false);
      expect(await store.fail(old, { error_code: 'crashed', error_message: 'stale' }, null)).toBe(false);
      expect(await store.release(old)).toBe(false);
      expect(await store.markCancelled(old)).toBe(false);
      expect(await store.abandon(old, 'the stale runner gave up', 0)).toBe(false);

      expect(await store.get(stale.lease.taskId)).toEqual(before);
      expect(await store.runningAttemptsOnHost(WORKER_B.host)).toEqual(attemptsBefore);
      expect(await store.runningAttemptsOnHost(WORKER_A.host)).toEqual([]);
      // The current owner is unaffected.
      expect(await store.complete(rescuer.lease, { final_summary: 'done', ...emptyRunStats() })).toBe(true);
    });

    it('abandons like the reaper: retry with attempts left, lost without, cancelled when asked', async () => {
      const { store, clock } = current();
      const retried = await runningTask(store, { max_attempts: 2 });
      const exhausted = await runningTask(store, { max_attempts: 1 });
      const cancelled = await runningTask(store);
      await store.requestCancel(cancelled.lease.taskId);
      const reason = 'the runner process (pid 4242) that ran it stopped';

      expect(await store.abandon(retried.lease, reason, RETRY_DELAY_MS)).toBe(true);
      expect(await store.abandon(exhausted.lease, reason, RETRY_DELAY_MS)).toBe(true);
      expect(await store.abandon(cancelled.lease, reason, RETRY_DELAY_MS)).toBe(true);
      expect(await store.abandon(retried.lease, reason, RETRY_DELAY_MS)).toBe(false);

      expect((await store.get(retried.lease.taskId))!.status).toBe('pending');
      const lost = (await store.get(exhausted.lease.taskId))!;
      expect(lost).toMatchObject({ status: 'failed', error_code: 'lost' });
      expect(lost.error_message).toContain(reason);
      expect(lost.error_message).toContain('1 of 1');
      const stopped = (await store.get(cancelled.lease.taskId))!;
      expect(stopped).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
      expect(stopped.error_message).toContain(reason);

      expect(await store.claim(WORKER_B, LEASE)).toBeNull();
      await clock.advance(RETRY_DELAY_MS);
      const second = await claimTask(store, WORKER_B);
      expect(second.task.id).toBe(retried.lease.taskId);
      expect(second.attempt).toBe(2);
    });
  });
}
