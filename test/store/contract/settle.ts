import { describe, expect, it } from 'vitest';
import { emptyRunStats, type TokenUsage } from '../../../src/core/task.js';
import { claimTask, type CurrentFixture, LEASE_MS, runningTask, WORKER_B } from './fixture.js';

const USAGE: TokenUsage = {
  input_tokens: 1200,
  output_tokens: 340,
  cache_creation_input_tokens: 5,
  cache_read_input_tokens: 800,
};

const RETRY_DELAY_MS = 30_000;

export function describeSettleContract(current: CurrentFixture): void {
  describe('progress and the end of a run', () => {
    it('records progress, changing only the fields given', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      expect(await store.recordProgress(lease, { last_action_cache: '[Read] src/a.ts', session_id: 'session-1' })).toBe(true);
      expect(await store.recordProgress(lease, { last_action_cache: '[Write] src/a.ts' })).toBe(true);
      expect(await store.recordProgress(lease, { api_key_source: 'ANTHROPIC_API_KEY' })).toBe(true);

      expect(await store.get(lease.taskId)).toMatchObject({
        last_action_cache: '[Write] src/a.ts',
        session_id: 'session-1',
        api_key_source: 'ANTHROPIC_API_KEY',
        status: 'running',
      });
    });

    it('completes: stores the summary and stats, sets ended_at and drops the lease', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store);
      await store.recordProgress(lease, { session_id: 'session-1', api_key_source: 'none' });
      await clock.advance(5000);
      const ok = await store.complete(lease, {
        final_summary: 'Refactored the auth module.',
        cost_usd: 0.42,
        usage: USAGE,
        num_turns: 6,
        duration_ms: 4900.4, // a fraction is rounded: PostgreSQL keeps whole milliseconds
        session_id: null,
        api_key_source: null,
      });

      expect(ok).toBe(true);
      const task = (await store.get(lease.taskId))!;
      expect(task).toMatchObject({
        status: 'completed',
        final_summary: 'Refactored the auth module.',
        cost_usd: 0.42,
        usage: USAGE,
        num_turns: 6,
        duration_ms: 4900,
        // Not reported with the result: what progress recorded stays.
        session_id: 'session-1',
        api_key_source: 'none',
        error_code: null,
        error_message: null,
        lease_owner: null,
        lease_expires_at: null,
        attempts: 1,
      });
      expect(task.ended_at).toBeGreaterThanOrEqual(task.started_at! + 5000);
      expect(await store.complete(lease, { final_summary: 'again', ...emptyRunStats() })).toBe(false);
    });

    it('fails without a retry: stores the error, the partial output and stats, and ends the task', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      const ok = await store.fail(
        lease,
        { error_code: 'max_turns', error_message: 'Stopped after 7 turns.', final_summary: 'Half done.', num_turns: 7 },
        null,
      );

      expect(ok).toBe(true);
      const task = (await store.get(lease.taskId))!;
      expect(task).toMatchObject({
        status: 'failed',
        error_code: 'max_turns',
        error_message: 'Stopped after 7 turns.',
        final_summary: 'Half done.',
        num_turns: 7,
        lease_owner: null,
        lease_expires_at: null,
      });
      expect(task.ended_at).not.toBeNull();
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
    });

    it('fails with a retry delay: queues the task again with the error kept, runnable only after the delay', async () => {
      const { store, clock } = current();
      const { lease } = await runningTask(store);
      expect(await store.fail(lease, { error_code: 'crashed', error_message: 'exit code 1' }, RETRY_DELAY_MS)).toBe(true);

      const waiting = (await store.get(lease.taskId))!;
      expect(waiting).toMatchObject({
        status: 'pending',
        attempts: 1,
        ended_at: null,
        error_code: 'crashed',
        error_message: 'exit code 1',
        lease_owner: null,
        lease_expires_at: null,
      });
      expect(waiting.run_at).toBeGreaterThanOrEqual(waiting.started_at! + RETRY_DELAY_MS);

      await clock.advance(RETRY_DELAY_MS / 2);
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
      await clock.advance(RETRY_DELAY_MS / 2);
      const retried = await claimTask(store, WORKER_B);
      expect(retried.task.id).toBe(lease.taskId);
      expect(retried.attempt).toBe(2);
    });

    it('fails for good when a retry is asked for but no attempts are left', async () => {
      const { store } = current();
      const { lease } = await runningTask(store, { max_attempts: 1 });
      expect(await store.fail(lease, { error_code: 'crashed', error_message: 'exit code 1' }, 0)).toBe(true);
      expect((await store.get(lease.taskId))!.status).toBe('failed');
      expect(await store.claim(WORKER_B, LEASE_MS)).toBeNull();
    });

    it('releases: back to pending, runnable at once, and the attempt does not count', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      expect(await store.release(lease)).toBe(true);

      expect(await store.get(lease.taskId)).toMatchObject({
        status: 'pending',
        attempts: 0,
        ended_at: null,
        lease_owner: null,
        lease_expires_at: null,
      });
      const again = await claimTask(store, WORKER_B);
      expect(again.task.id).toBe(lease.taskId);
      expect(again.attempt).toBe(1);
      expect(await store.release(lease)).toBe(false);
    });

    it('marks a stopped task cancelled with the stats it got', async () => {
      const { store } = current();
      const { lease } = await runningTask(store);
      await store.requestCancel(lease.taskId);
      expect(await store.markCancelled(lease, { cost_usd: 0.05, num_turns: 2 })).toBe(true);

      const task = (await store.get(lease.taskId))!;
      expect(task).toMatchObject({
        status: 'cancelled',
        error_code: 'cancelled',
        cost_usd: 0.05,
        num_turns: 2,
        lease_owner: null,
      });
      expect(task.error_message).toMatch(/^Cancelled while it ran/);
      expect(task.ended_at).not.toBeNull();
      expect(task.cancel_requested_at).not.toBeNull();
    });
  });
}
