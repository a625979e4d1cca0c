import { describe, expect, it } from 'vitest';
import { emptyRunStats, type TaskStatus } from '../../../src/core/task.js';
import type { OrchestrationSpec } from '../../../src/store/orchestration-records.js';
import type { ClaimedTask, TaskStore } from '../../../src/store/task-store.js';
import { type CurrentFixture, LEASE_MS, runningTask, taskSpec, WORKER_A } from './fixture.js';

type Edges = Record<string, string[]>;

/** A graph from `{ identifier: [its dependencies] }`, in the order given. */
function graph(
  edges: Edges,
  overrides: Partial<Omit<OrchestrationSpec, 'tasks'>> = {},
  delays: Record<string, number> = {},
): OrchestrationSpec {
  return {
    name: 'graph',
    failure_policy: 'skip_dependents',
    pass_results: true,
    key: null,
    budget_usd: null,
    ...overrides,
    tasks: Object.entries(edges).map(([identifier, depends_on]) => ({
      ...taskSpec({ execution_prompt: `Do ${identifier}`, working_directory: `/srv/${identifier}` }),
      identifier,
      depends_on,
      initial_delay: delays[identifier] ?? 0,
    })),
  };
}

const DIAMOND: Edges = { a: [], b: ['a'], c: ['a'], d: ['b', 'c'] };

/** Status of every task by identifier. */
async function statuses(store: TaskStore, orchestrationId: number): Promise<Record<string, TaskStatus>> {
  const found = await store.getOrchestration(orchestrationId);
  return Object.fromEntries(found!.tasks.map((task) => [task.identifier, task.status]));
}

/** Claims the next runnable task and insists it is `identifier`. */
async function claimNamed(store: TaskStore, identifier: string): Promise<ClaimedTask> {
  const claimed = await store.claim(WORKER_A, LEASE_MS);
  expect(claimed?.task.identifier, `the next task to claim`).toBe(identifier);
  return claimed!;
}

async function runToCompletion(store: TaskStore, identifier: string, summary = `${identifier} done`): Promise<void> {
  const { lease } = await claimNamed(store, identifier);
  expect(await store.complete(lease, { final_summary: summary, ...emptyRunStats() })).toBe(true);
}

async function runToFailure(store: TaskStore, identifier: string): Promise<void> {
  const { lease } = await claimNamed(store, identifier);
  expect(await store.fail(lease, { error_code: 'agent_error', error_message: `${identifier} broke` }, null)).toBe(true);
}

export function describeOrchestrationContract(current: CurrentFixture): void {
  describe('orchestrations', () => {
    it('store the whole graph at once: tasks without dependencies pending, the others waiting and never claimed', async () => {
      const { store } = current();
      const submitted = await store.submitOrchestration(graph(DIAMOND, { name: 'diamond' }));

      expect(submitted.deduplicated).toBe(false);
      expect(submitted.orchestration).toMatchObject({
        name: 'diamond',
        failure_policy: 'skip_dependents',
        pass_results: true,
        key: null,
      });
      expect(submitted.orchestration.counts).toMatchObject({ pending: 1, waiting: 3, running: 0 });
      expect(submitted.tasks.map((t) => [t.identifier, t.status, t.depends_on])).toEqual([
        ['a', 'pending', []],
        ['b', 'waiting', ['a']],
        ['c', 'waiting', ['a']],
        ['d', 'waiting', ['b', 'c']],
      ]);
      expect(submitted.tasks.every((t) => t.orchestration_id === submitted.orchestration.id)).toBe(true);
      expect(await store.getOrchestration(submitted.orchestration.id)).toEqual({
        orchestration: submitted.orchestration,
        tasks: submitted.tasks,
      });

      await claimNamed(store, 'a');
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
    });

    it('name an orchestration submitted without a name after its id, as stored in the same transaction', async () => {
      const { store } = current();
      const unnamed = await store.submitOrchestration(graph({ only: [] }, { name: null, key: 'unnamed' }));
      const expected = `orchestration ${unnamed.orchestration.id}`;

      expect(unnamed.orchestration.name).toBe(expected);
      expect((await store.getOrchestration(unnamed.orchestration.id))!.orchestration.name).toBe(expected);
      expect((await store.listOrchestrations({ limit: 10 })).map((o) => o.name)).toEqual([expected]);
      const again = await store.submitOrchestration(graph({ only: [] }, { name: null, key: 'unnamed' }));
      expect(again).toMatchObject({ deduplicated: true, orchestration: { id: unnamed.orchestration.id, name: expected } });
    });

    it('make a task runnable once all its dependencies completed, and not before', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(graph(DIAMOND));
      await runToCompletion(store, 'a');
      expect(await statuses(store, orchestration.id)).toEqual({ a: 'completed', b: 'pending', c: 'pending', d: 'waiting' });

      await runToCompletion(store, 'b');
      expect((await statuses(store, orchestration.id)).d).toBe('waiting');
      await runToCompletion(store, 'c');
      expect((await statuses(store, orchestration.id)).d).toBe('pending');
      await runToCompletion(store, 'd');

      const done = await store.getOrchestration(orchestration.id);
      expect(done!.orchestration.counts).toMatchObject({ completed: 4, waiting: 0, pending: 0 });
    });

    it('hold a dependent back for its initial_delay after its dependencies completed', async () => {
      const { store, clock } = current();
      await store.submitOrchestration(graph({ a: [], b: ['a'] }, {}, { b: 30 }));
      await runToCompletion(store, 'a');

      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      await clock.advance(29_000);
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      await clock.advance(1_000);
      await claimNamed(store, 'b');
    });

    it('delay a task without dependencies by its initial_delay from the submit', async () => {
      const { store, clock } = current();
      await store.submitOrchestration(graph({ later: [] }, {}, { later: 10 }));
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      await clock.advance(10_000);
      await claimNamed(store, 'later');
    });

    it('skip exactly the tasks after a failed one, directly or not, and let the rest run', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(
        graph({ a: [], b: ['a'], c: ['a'], d: ['b'], e: ['d', 'c'], f: ['c'], g: ['a'] }),
      );
      await runToCompletion(store, 'a');
      await runToFailure(store, 'b');

      const found = await store.getOrchestration(orchestration.id);
      expect(await statuses(store, orchestration.id)).toEqual({
        a: 'completed',
        b: 'failed',
        c: 'pending',
        d: 'skipped',
        e: 'skipped',
        f: 'waiting',
        g: 'pending',
      });
      const skipped = found!.tasks.find((t) => t.identifier === 'e')!;
      expect(skipped.ended_at).not.toBeNull();
      expect(skipped.error_message).toMatch(/"b".*failed/);
      expect(found!.orchestration.counts).toMatchObject({ skipped: 2, failed: 1 });

      await runToCompletion(store, 'c');
      expect((await statuses(store, orchestration.id)).f).toBe('pending');
    });

    it('under continue, run a dependent once all its dependencies ended, whatever their outcome', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(graph(DIAMOND, { failure_policy: 'continue' }));
      await runToCompletion(store, 'a');
      await runToFailure(store, 'b');
      expect((await statuses(store, orchestration.id)).d).toBe('waiting');
      await runToFailure(store, 'c');
      expect((await statuses(store, orchestration.id)).d).toBe('pending');
    });

    it('skip the tasks after a task whose runner was lost for good', async () => {
      const { store, clock } = current();
      const spec = graph({ a: [], b: ['a'] });
      spec.tasks[0]!.max_attempts = 1;
      const { orchestration } = await store.submitOrchestration(spec);
      await claimNamed(store, 'a');
      await clock.advance(LEASE_MS);

      expect(await store.reapExpired(1000)).toHaveLength(1);
      expect(await statuses(store, orchestration.id)).toEqual({ a: 'failed', b: 'skipped' });
    });

    it('cancel one waiting task: it ends cancelled and the tasks after it are skipped', async () => {
      const { store } = current();
      const { orchestration, tasks } = await store.submitOrchestration(graph({ a: [], b: ['a'], c: ['b'] }));
      const result = await store.requestCancel(tasks[1]!.id);

      expect(result?.outcome).toBe('cancelled');
      expect(await statuses(store, orchestration.id)).toEqual({ a: 'pending', b: 'cancelled', c: 'skipped' });
    });

    it('cancel an orchestration: pending tasks cancelled, running ones asked to stop, waiting ones skipped', async () => {
      const { store } = current();
      const { orchestration } = await store.submitOrchestration(
        graph({ a: [], b: [], c: ['a'], d: ['c'] }, { failure_policy: 'continue' }),
      );
      const { lease } = await claimNamed(store, 'a');
      const cancelled = await store.cancelOrchestration(orchestration.id);

      expect(cancelled!.orchestration.cancel_requested_at).not.toBeNull();
      expect(Object.fromEntries(cancelled!.tasks.map((t) => [t.identifier, t.status]))).toEqual({
        a: 'running',
        b: 'cancelled',
        c: 'skipped',
        d: 'skipped',
      });
      expect((await store.heartbeat([lease], LEASE_MS))[0]?.cancelRequested).toBe(true);
      // Under `continue` the end of a would have run c: the cancel skipped it first.
      expect(await store.markCancelled(lease)).toBe(true);
      expect(await statuses(store, orchestration.id)).toEqual({ a: 'cancelled', b: 'cancelled', c: 'skipped', d: 'skipped' });
      const ended = (await store.getOrchestration(orchestration.id))!.tasks.filter((t) => t.status === 'cancelled');
      expect(ended.map((t) => t.error_code)).toEqual(['cancelled', 'cancelled']);
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      expect(await store.cancelOrchestration(987_654)).toBeNull();
    });

    it('return the existing orchestration for a key submitted again, storing nothing more', async () => {
      const { store } = current();
      const first = await store.submitOrchestration(graph(DIAMOND, { key: 'nightly-42' }));
      const again = await store.submitOrchestration(graph({ other: [] }, { key: 'nightly-42', name: 'another' }));

      expect(again.deduplicated).toBe(true);
      expect(again.orchestration).toEqual(first.orchestration);
      expect(again.tasks).toEqual(first.tasks);
      expect(await store.listOrchestrations({ limit: 10 })).toHaveLength(1);
      expect(Object.values(await store.countByStatus()).reduce((a, b) => a + b)).toBe(4);
    });

    it('give a starting task the outcome of its dependencies, unless results are not passed', async () => {
      const { store } = current();
      const passing = await store.submitOrchestration(graph({ a: [], b: [], c: ['a', 'b'] }));
      await runToCompletion(store, 'a', 'Wrote the schema.');
      await runToFailure(store, 'b');
      const c = passing.tasks[2]!;
      expect(await store.dependencyResults(c.id)).toEqual([
        {
          identifier: 'a',
          status: 'completed',
          final_summary: 'Wrote the schema.',
          error_message: null,
          working_directory: '/srv/a',
        },
        { identifier: 'b', status: 'failed', final_summary: null, error_message: 'b broke', working_directory: '/srv/b' },
      ]);
      expect(await store.dependencyResults(passing.tasks[0]!.id)).toEqual([]);

      const silent = await store.submitOrchestration(graph({ x: [], y: ['x'] }, { pass_results: false }));
      await runToCompletion(store, 'x');
      expect(await store.dependencyResults(silent.tasks[1]!.id)).toEqual([]);
    });

    it('list orchestrations newest first, with their counts, in pages', async () => {
      const { store } = current();
      const first = await store.submitOrchestration(graph({ a: [] }, { name: 'first' }));
      const second = await store.submitOrchestration(graph({ a: [], b: ['a'] }, { name: 'second' }));

      const page = await store.listOrchestrations({ limit: 1 });
      expect(page.map((o) => [o.name, o.counts.pending, o.counts.waiting])).toEqual([['second', 1, 1]]);
      const older = await store.listOrchestrations({ limit: 5, beforeId: second.orchestration.id });
      expect(older.map((o) => o.id)).toEqual([first.orchestration.id]);
      expect(await store.getOrchestration(987_654)).toBeNull();
    });

    it('are pruned whole, once every task would be, without holding back the pruning of lone tasks', async () => {
      const { store, clock } = current();
      const DAY_MS = 24 * 3600 * 1000;
      const policy = { finishedMaxAgeMs: DAY_MS, failedMaxAgeMs: 7 * DAY_MS };
      const lone = await runningTask(store);
      await store.complete(lone.lease, { final_summary: 'done', ...emptyRunStats() });
      const { orchestration } = await store.submitOrchestration(graph({ a: [], b: ['a'] }));
      await runToCompletion(store, 'a');
      await clock.advance(2 * DAY_MS);

      // b never ran: the graph stays whole, the old lone task goes.
      expect(await store.prune(policy, 10)).toBe(1);
      expect(await store.get(lone.task.id)).toBeNull();
      expect((await store.getOrchestration(orchestration.id))!.tasks).toHaveLength(2);

      await runToFailure(store, 'b');
      await clock.advance(2 * DAY_MS);
      // b failed 2 days ago: failures are kept 7 days, so is its graph.
      expect(await store.prune(policy, 10)).toBe(0);
      await clock.advance(6 * DAY_MS);
      expect(await store.prune(policy, 1)).toBe(2);
      expect(await store.getOrchestration(orchestration.id)).toBeNull();
      expect(await store.listOrchestrations({ limit: 10 })).toEqual([]);
    });
  });
}
