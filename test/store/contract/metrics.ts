import { describe, expect, it } from 'vitest';
import { emptyRunStats, type RunStats } from '../../../src/core/task.js';
import { type CurrentFixture, enqueueTask, runningTask } from './fixture.js';

function stats(cost: number, input: number, output: number): RunStats {
  return {
    ...emptyRunStats(),
    cost_usd: cost,
    usage: { input_tokens: input, output_tokens: output, cache_read_input_tokens: 7, cache_creation_input_tokens: 3 },
  };
}

export function describeMetricsContract(current: CurrentFixture): void {
  describe('metrics snapshot', () => {
    it('is empty for an empty store', async () => {
      expect(await current().store.metricsSnapshot()).toEqual({
        oldestPendingAgeMs: null,
        usageByModel: [],
        failuresByCode: [],
        runs: [],
      });
    });

    it('sums usage by model, counts failures by code, and times every started task', async () => {
      const { store, clock } = current();
      const first = await runningTask(store, { model: 'sonnet' });
      await clock.advance(4_000);
      await store.complete(first.lease, { final_summary: 'done', ...stats(0.25, 100, 20) });
      const second = await runningTask(store, { model: 'sonnet' });
      await store.fail(second.lease, { error_code: 'agent_error', error_message: 'no', ...stats(0.5, 50, 5) }, null);
      const third = await runningTask(store);
      await store.fail(third.lease, { error_code: 'agent_error', error_message: 'no' }, null);
      const fourth = await runningTask(store);
      await store.fail(fourth.lease, { error_code: 'timeout', error_message: 'too long' }, null);
      await runningTask(store);

      const snapshot = await store.metricsSnapshot();
      expect(snapshot.usageByModel).toEqual([
        { model: 'sonnet', costUsd: 0.75, inputTokens: 150, outputTokens: 25, cacheReadTokens: 14, cacheCreationTokens: 6 },
      ]);
      expect(snapshot.failuresByCode.sort((a, b) => a.errorCode.localeCompare(b.errorCode))).toEqual([
        { errorCode: 'agent_error', count: 2 },
        { errorCode: 'timeout', count: 1 },
      ]);
      expect(snapshot.runs.map((run) => run.status).sort()).toEqual(['completed', 'failed', 'failed', 'failed', 'running']);
      expect(snapshot.runs.find((run) => run.status === 'completed')!.durationMs).toBeGreaterThanOrEqual(4_000);
      expect(snapshot.runs.find((run) => run.status === 'running')!.durationMs).toBeNull();
      expect(snapshot.oldestPendingAgeMs).toBeNull();
    });

    it('reports how long the oldest pending task has waited, by the store clock', async () => {
      const { store, clock } = current();
      await enqueueTask(store);
      await clock.advance(30_000);
      await enqueueTask(store);
      const { oldestPendingAgeMs } = await store.metricsSnapshot();
      expect(oldestPendingAgeMs).toBeGreaterThanOrEqual(30_000);
      expect(oldestPendingAgeMs).toBeLessThan(60_000);
    });
  });
}
