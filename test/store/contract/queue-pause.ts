import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { LimitRecord } from '../../../src/store/task-store.js';
import { claimTask, type CurrentFixture, enqueueTask, LEASE_MS, runningTask, WORKER_A, WORKER_B } from './fixture.js';

const HOUR_MS = 3600_000;

const LIMIT: LimitRecord = {
  delayMs: HOUR_MS,
  reason: 'usage limit reached (five_hour)',
  message: 'Claude Code hit the usage limit; the task waits for it to reset.',
  stats: { cost_usd: 0.01 },
};

export function describeQueuePauseContract(current: CurrentFixture): void {
  describe('the queue pause', () => {
    it('claims nothing while paused, on any runner, and says until when', async () => {
      const { store } = current();
      await enqueueTask(store);
      const pause = await store.pauseQueue({ kind: 'daily_budget', reason: 'daily budget reached', delayMs: HOUR_MS });

      expect(pause).toMatchObject({ kind: 'daily_budget', reason: 'daily budget reached', probe_task_id: null });
      expect(pause.paused_until - pause.paused_at).toBe(HOUR_MS);
      expect(await store.readQueuePause()).toEqual(pause);
      expect(await store.claimMany(WORKER_A, LEASE_MS, 4)).toEqual([]);
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
    });

    it('after the pause, starts one task as the probe and the rest once it got through', async () => {
      const { store, clock } = current();
      const ids = [await enqueueTask(store), await enqueueTask(store), await enqueueTask(store)];
      await store.pauseQueue({ kind: 'usage_limit', reason: 'usage limit reached', delayMs: 5000 });
      await clock.advance(5000);

      const [probe, ...others] = await store.claimMany(WORKER_A, LEASE_MS, 3);
      expect(others).toEqual([]);
      expect(probe).toMatchObject({ probe: true, task: { id: ids[0] } });
      expect(await store.readQueuePause()).toMatchObject({ probe_task_id: ids[0] });
      expect(await store.claimMany(WORKER_B, LEASE_MS, 3)).toEqual([]);

      expect(await store.probeGotThrough(ids[1]!)).toBe(false);
      expect(await store.probeGotThrough(ids[0]!)).toBe(true);
      expect(await store.readQueuePause()).toBeNull();
      const rest = await store.claimMany(WORKER_B, LEASE_MS, 3);
      expect(rest.map((c) => [c.task.id, c.probe])).toEqual([
        [ids[1], false],
        [ids[2], false],
      ]);
    });

    it('replaces a probe that has not got through within a lease (its runner may be gone)', async () => {
      const { store, clock } = current();
      await enqueueTask(store);
      const second = await enqueueTask(store);
      await store.pauseQueue({ kind: 'usage_limit', reason: 'usage limit reached', delayMs: 1000 });
      await clock.advance(1000);
      await claimTask(store, WORKER_A);
      await clock.advance(LEASE_MS + 1);

      expect(await store.claimMany(WORKER_B, LEASE_MS, 3)).toMatchObject([{ probe: true, task: { id: second } }]);
    });

    it('keeps the later end when paused again, and starts the probing over', async () => {
      const { store } = current();
      await store.pauseQueue({ kind: 'usage_limit', reason: 'first', delayMs: HOUR_MS });
      const kept = await store.pauseQueue({ kind: 'usage_limit', reason: 'sooner', delayMs: 1000 });
      expect(kept.reason).toBe('first');
      const later = await store.pauseQueue({ kind: 'daily_budget', reason: 'later', delayMs: 2 * HOUR_MS });
      expect(later).toMatchObject({ kind: 'daily_budget', reason: 'later' });
      // On database time a few milliseconds pass between the two writes.
      expect(later.paused_until - kept.paused_until).toBeGreaterThanOrEqual(HOUR_MS);
      expect(later.paused_until - kept.paused_until).toBeLessThan(HOUR_MS + 60_000);
    });

    it('sends a task stopped by a usage limit back to the queue, its attempt not counted and its session kept', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store, { max_attempts: 1 });
      await store.recordProgress(lease, { session_id: 'session-1' });

      expect(await store.deferForLimit(lease, LIMIT)).toBe(true);
      expect(await store.deferForLimit(lease, LIMIT)).toBe(false);
      const task = (await store.get(lease.taskId))!;
      expect(task).toMatchObject({
        status: 'pending',
        attempts: 0,
        limit_hits: 1,
        session_id: 'session-1',
        cost_usd: 0.01,
        error_code: 'usage_limit',
        error_message: LIMIT.message,
        started_at: null,
        ended_at: null,
        lease_owner: null,
      });
      const pause = (await store.readQueuePause())!;
      expect(pause).toMatchObject({ kind: 'usage_limit', reason: LIMIT.reason });
      expect(task.run_at).toBe(pause.paused_until);

      // At the reset it runs again as the probe; its one attempt is still there to use.
      await clock.advance(HOUR_MS);
      expect(await store.claim(WORKER_B, LEASE_MS)).toMatchObject({ probe: true, attempt: 1, task: { limit_hits: 1 } });
    });

    it('ends a task stopped by a usage limit cancelled when a cancel was requested', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      await store.requestCancel(lease.taskId);
      expect(await store.deferForLimit(lease, LIMIT)).toBe(true);
      expect(await store.get(lease.taskId)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    });

    it('lifts a pause by hand and makes the tasks a limit sent back runnable now', async () => {
      const { store } = current();
      expect(await store.resumeQueue()).toBeNull();
      const { lease } = await runningTask(store);
      await store.deferForLimit(lease, LIMIT);

      expect(await store.resumeQueue()).toMatchObject({ kind: 'usage_limit' });
      expect(await store.readQueuePause()).toBeNull();
      expect(await store.claim(WORKER_A, LEASE_MS)).toMatchObject({ probe: false, task: { id: lease.taskId } });
    });

    it('records the pause, the task a limit sent back, and the resumption (by hand or by the probe) in the outbox', async () => {
      const { store, clock } = current();
      const types = async (after: number) =>
        (await store.readEvents(after, 50)).map((event) => [event.type, event.task_id, event.data]);
      const { lease } = await runningTask(store);
      const start = await store.lastEventId();
      await store.deferForLimit(lease, LIMIT);
      const until = new Date((await store.readQueuePause())!.paused_until).toISOString();
      // One transaction: in which order its events are numbered is the dialect's.
      expect(await types(start)).toEqual(
        expect.arrayContaining([
          ['task.pending', lease.taskId, null],
          ['queue.paused', null, { kind: 'usage_limit', reason: LIMIT.reason, paused_until: until }],
          ['task.paused', lease.taskId, { reason: LIMIT.reason, paused_until: until }],
        ]),
      );
      expect(await types(start)).toHaveLength(3);

      const beforeResume = await store.lastEventId();
      await store.resumeQueue();
      await store.resumeQueue();
      expect(await types(beforeResume)).toEqual([['queue.resumed', null, { cause: 'resume', probe_task_id: null }]]);

      await store.pauseQueue({ kind: 'daily_budget', reason: 'daily budget reached', delayMs: 1000 });
      await clock.advance(1000);
      // The task the limit sent back goes first.
      const [claimed] = await store.claimMany(WORKER_A, LEASE_MS, 2);
      const probe = claimed!.task.id;
      const beforeProbe = await store.lastEventId();
      expect(await store.probeGotThrough(probe)).toBe(true);
      expect(await types(beforeProbe)).toEqual([['queue.resumed', null, { cause: 'probe_got_through', probe_task_id: probe }]]);
    });

    it("sums what today's (UTC) ended tasks cost", async () => {
      const { store, clock } = current();
      expect(await store.spentToday()).toBe(0);
      const first = await runningTask(store);
      await store.complete(first.lease, { ...emptyRunStats(), final_summary: 'ok', cost_usd: 0.4 });
      const second = await runningTask(store);
      await store.fail(second.lease, { error_code: 'max_turns', error_message: 'too long', cost_usd: 0.25 }, null);
      await runningTask(store);

      expect(await store.spentToday()).toBeCloseTo(0.65, 10);
      await clock.advance(25 * HOUR_MS);
      expect(await store.spentToday()).toBe(0);
    });
  });
}
