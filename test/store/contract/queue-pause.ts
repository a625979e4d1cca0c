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

    it('records task.paused and queue.paused when a usage limit sends a task back, and a repeated report not again', async () => {
      const { store } = current();
      const first = await runningTask(store);
      const second = await runningTask(store);
      const before = await store.lastEventId();

      await store.deferForLimit(first.lease, LIMIT);
      // A second runner reports the same reset a moment later: no news for the queue.
      await store.deferForLimit(second.lease, LIMIT);
      const pause = (await store.readQueuePause())!;
      const pausedUntil = new Date(pause.paused_until).toISOString();
      const events = await store.readEvents(before, 100);
      // Within one transaction the dialects order the trigger's events and these differently.
      expect(events.map((event) => `${event.type} ${event.task_id}`).sort()).toEqual(
        [
          `task.pending ${first.lease.taskId}`,
          `task.paused ${first.lease.taskId}`,
          'queue.paused null',
          `task.pending ${second.lease.taskId}`,
          `task.paused ${second.lease.taskId}`,
        ].sort(),
      );
      const ofType = (type: string) => events.filter((event) => event.type === type).map((event) => event.data);
      // Each says when the pause ended as its write left it; the second put it off by moments.
      const [firstPaused, secondPaused] = ofType('task.paused');
      expect(secondPaused).toEqual({ paused_until: pausedUntil, reason: LIMIT.reason });
      expect(ofType('queue.paused')).toEqual([{ ...firstPaused, kind: 'usage_limit' }]);
      expect(firstPaused).toEqual({ paused_until: expect.any(String), reason: LIMIT.reason });
      expect(Date.parse(pausedUntil) - Date.parse(firstPaused!.paused_until as string)).toBeLessThan(60_000);
    });

    it('records queue.paused when a pause starts or is put off, not when a shorter one is kept', async () => {
      const { store } = current();
      const before = await store.lastEventId();
      await store.pauseQueue({ kind: 'usage_limit', reason: 'first', delayMs: HOUR_MS });
      await store.pauseQueue({ kind: 'usage_limit', reason: 'sooner', delayMs: 1000 });
      const later = await store.pauseQueue({ kind: 'daily_budget', reason: 'later', delayMs: 2 * HOUR_MS });

      const events = await store.readEvents(before, 100);
      expect(events.map((event) => [event.type, event.data?.reason, event.data?.kind])).toEqual([
        ['queue.paused', 'first', 'usage_limit'],
        ['queue.paused', 'later', 'daily_budget'],
      ]);
      expect(events[1]!.data!.paused_until).toBe(new Date(later.paused_until).toISOString());
    });

    it('records queue.resumed once when the pause is lifted by hand', async () => {
      const { store } = current();
      await store.pauseQueue({ kind: 'daily_budget', reason: 'daily budget reached', delayMs: HOUR_MS });
      const before = await store.lastEventId();

      expect(await store.resumeQueue()).not.toBeNull();
      expect(await store.resumeQueue()).toBeNull();
      const events = await store.readEvents(before, 100);
      expect(events.map((event) => [event.type, event.data])).toEqual([
        ['queue.resumed', expect.objectContaining({ kind: 'daily_budget', lifted_by: 'resume' })],
      ]);
    });

    it('records queue.resumed once when the probe gets through, however many times it reports', async () => {
      const { store, clock } = current();
      const probe = await enqueueTask(store);
      await store.pauseQueue({ kind: 'usage_limit', reason: 'usage limit reached', delayMs: 1000 });
      await clock.advance(1000);
      await claimTask(store, WORKER_A);
      const before = await store.lastEventId();

      const reports = await Promise.all([store.probeGotThrough(probe), store.probeGotThrough(probe)]);
      expect(reports.sort()).toEqual([false, true]);
      expect(await store.probeGotThrough(probe)).toBe(false);
      const events = await store.readEvents(before, 100);
      expect(events.map((event) => [event.type, event.data?.lifted_by])).toEqual([['queue.resumed', 'probe']]);
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
