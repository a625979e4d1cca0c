import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { OrchestrationSpec } from '../../../src/store/orchestration-records.js';
import type { ClaimedTask, TaskStore } from '../../../src/store/task-store.js';
import { type CurrentFixture, LEASE_MS, taskSpec, WORKER_A } from './fixture.js';

/** x, y and z start at once; w waits for x. */
function budgetedGraph(budget_usd: number | null): OrchestrationSpec {
  const task = (identifier: string, depends_on: string[] = []) => ({
    ...taskSpec({ execution_prompt: `Do ${identifier}` }),
    identifier,
    depends_on,
    initial_delay: 0,
  });
  return {
    name: 'budgeted',
    failure_policy: 'continue',
    pass_results: false,
    key: null,
    budget_usd,
    tasks: [task('x'), task('y'), task('z'), task('w', ['x'])],
  };
}

async function claimNamed(store: TaskStore, identifier: string): Promise<ClaimedTask> {
  const claimed = await store.claim(WORKER_A, LEASE_MS);
  expect(claimed?.task.identifier, 'the next task to claim').toBe(identifier);
  return claimed!;
}

const costing = (cost_usd: number) => ({ ...emptyRunStats(), cost_usd });

export function describeBudgetContract(current: CurrentFixture): void {
  describe("an orchestration's budget", () => {
    it('counts what its tasks spent, and changes nothing while money is left', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(budgetedGraph(1));
      expect(orchestration).toMatchObject({ budget_usd: 1, spent_usd: 0 });
      const x = await claimNamed(store, 'x');

      await store.complete(x.lease, { final_summary: 'x done', ...costing(0.4) });
      const graph = (await store.getOrchestration(orchestration.id))!;
      expect(graph.orchestration).toMatchObject({ budget_usd: 1, spent_usd: 0.4 });
      expect(graph.tasks.map((task) => [task.identifier, task.status])).toEqual([
        ['x', 'completed'],
        ['y', 'pending'],
        ['z', 'pending'],
        ['w', 'pending'],
      ]);
      expect((await store.listOrchestrations({ limit: 5 }))[0]).toMatchObject({ budget_usd: 1, spent_usd: 0.4 });
    });

    it('once spent, skips the tasks not started and stops the running ones, all with budget_exceeded', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(budgetedGraph(1));
      const x = await claimNamed(store, 'x');
      const y = await claimNamed(store, 'y');
      const stopping: number[] = [];
      const unsubscribe = store.onCancelRequested((taskId) => stopping.push(taskId));

      // x's end promotes w, and the budget it spent skips w with z.
      await store.complete(x.lease, { final_summary: 'x done', ...costing(1.25) });
      unsubscribe();
      const after = (await store.getOrchestration(orchestration.id))!;
      const byName = Object.fromEntries(after.tasks.map((task) => [task.identifier, task]));
      for (const name of ['z', 'w']) {
        expect(byName[name]).toMatchObject({ status: 'skipped', error_code: 'budget_exceeded', started_at: null });
        expect(byName[name]!.error_message).toMatch(/budget/);
      }
      expect(byName.y).toMatchObject({ status: 'running', error_code: 'budget_exceeded' });
      expect(byName.y!.cancel_requested_at).not.toBeNull();
      expect(stopping).toEqual([y.task.id]);
      expect(await store.heartbeat([y.lease], LEASE_MS)).toEqual([{ taskId: y.task.id, owned: true, cancelRequested: true }]);

      // Its runner stops the agent and records the stop: failed, with what it cost.
      expect(await store.markCancelled(y.lease, costing(0.1))).toBe(true);
      const ended = (await store.get(y.task.id))!;
      expect(ended).toMatchObject({ status: 'failed', error_code: 'budget_exceeded', cost_usd: 0.1 });
      expect(ended.error_message).toMatch(/Stopped while it ran/);
      const final = (await store.getOrchestration(orchestration.id))!.orchestration;
      expect(final.spent_usd).toBeCloseTo(1.35);
      expect(final.counts).toMatchObject({ completed: 1, failed: 1, skipped: 2 });
    });

    it('leaves an orchestration without a budget alone, whatever its tasks cost', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(budgetedGraph(null));
      const x = await claimNamed(store, 'x');
      await store.complete(x.lease, { final_summary: 'x done', ...costing(500) });

      const graph = (await store.getOrchestration(orchestration.id))!;
      expect(graph.orchestration).toMatchObject({ budget_usd: null, spent_usd: 500 });
      expect(graph.tasks.filter((task) => task.status === 'skipped')).toEqual([]);
    });

    it('ends a stopped task failed with budget_exceeded even when its runner is gone and the reaper ends it', async () => {
      const { store, clock } = current();
      await store.submitOrchestration(budgetedGraph(1));
      const x = await claimNamed(store, 'x');
      const y = await claimNamed(store, 'y');
      await store.complete(x.lease, { final_summary: 'x done', ...costing(3) });

      await clock.advance(LEASE_MS + 1000);
      expect(await store.reapExpired(10_000)).toEqual([y.task.id]);
      expect(await store.get(y.task.id)).toMatchObject({ status: 'failed', error_code: 'budget_exceeded' });
    });

    it('keeps a cancel asked for before the budget ran out: the task ends cancelled', async () => {
      const { store } = current();
      await store.submitOrchestration(budgetedGraph(1));
      const x = await claimNamed(store, 'x');
      const y = await claimNamed(store, 'y');
      await store.requestCancel(y.task.id);
      await store.complete(x.lease, { final_summary: 'x done', ...costing(2) });

      expect(await store.markCancelled(y.lease, costing(0.1))).toBe(true);
      expect(await store.get(y.task.id)).toMatchObject({ status: 'cancelled', error_code: 'cancelled' });
    });
  });
}
