import { describe, expect, it } from 'vitest';
import { emptyRunStats, type TokenUsage } from '../../../src/core/task.js';
import type { TaskStore } from '../../../src/store/task-store.js';
import { type CurrentFixture, enqueueTask, runningTask } from './fixture.js';

const DAY_MS = 86_400_000;

function tokens(input: number, output: number): TokenUsage {
  return { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 2, cache_read_input_tokens: 10 };
}

async function ranAndCompleted(store: TaskStore, model: string | null, cost_usd: number, usage: TokenUsage | null) {
  const { lease } = await runningTask(store, { model });
  await store.complete(lease, { final_summary: 'done', ...emptyRunStats(), cost_usd, usage });
}

async function ranAndFailed(store: TaskStore, model: string | null, cost_usd: number, usage: TokenUsage | null) {
  const { lease } = await runningTask(store, { model });
  await store.fail(lease, { error_code: 'agent_error', error_message: 'broke', cost_usd, usage }, null);
}

export function describeUsageContract(current: CurrentFixture): void {
  describe('usage', () => {
    it('sums cost, tokens, tasks and failures of the tasks that ran, per UTC day and model, oldest day first', async () => {
      const { store, clock } = current();
      await ranAndCompleted(store, 'sonnet', 0.5, tokens(100, 20));
      await clock.advance(3 * DAY_MS);
      await ranAndCompleted(store, 'sonnet', 0.25, tokens(40, 8));
      await ranAndFailed(store, 'sonnet', 0.125, tokens(10, 1));
      await ranAndCompleted(store, null, 1, null);
      // Never ran: it cost nothing and is no task of the report.
      const queued = await enqueueTask(store);
      await store.requestCancel(queued);

      const rows = await store.usage(7);
      expect(rows.map(({ day: _day, ...figures }) => figures)).toEqual([
        {
          model: 'sonnet',
          tasks: 1,
          failures: 0,
          cost_usd: 0.5,
          input_tokens: 100,
          output_tokens: 20,
          cache_creation_input_tokens: 2,
          cache_read_input_tokens: 10,
        },
        {
          model: 'sonnet',
          tasks: 2,
          failures: 1,
          cost_usd: 0.375,
          input_tokens: 50,
          output_tokens: 9,
          cache_creation_input_tokens: 4,
          cache_read_input_tokens: 20,
        },
        // The default model (null) last within its day.
        {
          model: null,
          tasks: 1,
          failures: 0,
          cost_usd: 1,
          input_tokens: 0,
          output_tokens: 0,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      ]);
      const [first, second, third] = rows.map((row) => row.day);
      expect(first).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(second).toBe(third);
      expect(Date.parse(second!) - Date.parse(first!)).toBe(3 * DAY_MS);
    });

    it('covers only the last days asked for, today included', async () => {
      const { store, clock } = current();
      await ranAndCompleted(store, 'opus', 2, null);
      await clock.advance(3 * DAY_MS);
      await ranAndCompleted(store, 'opus', 1, null);

      expect((await store.usage(1)).map((row) => row.cost_usd)).toEqual([1]);
      expect((await store.usage(4)).map((row) => row.cost_usd)).toEqual([2, 1]);
      expect(await store.usage(7)).toHaveLength(2);
    });

    it('reads nothing from an empty store', async () => {
      expect(await current().store.usage(7)).toEqual([]);
    });
  });
}
