import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { TaskStore } from '../../../src/store/task-store.js';
import { claimTask, type CurrentFixture, enqueueTask, LEASE_MS, taskSpec, WORKER_A, WORKER_B } from './fixture.js';

/** The types of the outbox events of `taskId` after `afterId`, oldest first. */
async function eventTypes(store: TaskStore, taskId: number, afterId: number): Promise<string[]> {
  return (await store.readEvents(afterId, 100)).filter((event) => event.task_id === taskId).map((event) => event.type);
}

/**
 * Completions made at the same moment are written together (group commit):
 * each must still be fenced by its own lease and keep what its own agent
 * reported, whatever the others in its group.
 */
export function describeCompletionContract(current: CurrentFixture): void {
  describe('completions made together', () => {
    it('are fenced one by one: a stale lease in the group is refused for its task only, and the others complete', async () => {
      const { store, clock } = current();
      const first = await enqueueTask(store);
      const stale = await enqueueTask(store);
      const third = await enqueueTask(store);
      const leases = (await store.claimMany(WORKER_A, LEASE_MS, 3)).map((claimed) => claimed.lease);
      expect(leases.map((lease) => lease.taskId)).toEqual([first, stale, third]);
      // The middle task's lease runs out; another runner has it now.
      await clock.advance(LEASE_MS + 1);
      for (const lease of [leases[0]!, leases[2]!]) expect((await store.heartbeat([lease], LEASE_MS))[0]!.owned).toBe(true);
      expect(await store.reapExpired(0)).toEqual([stale]);
      const taken = await claimTask(store, WORKER_B);
      expect(taken.task.id).toBe(stale);
      const eventsBefore = await store.lastEventId();

      const answers = await Promise.all(
        leases.map((lease) =>
          store.complete(lease, { ...emptyRunStats(), final_summary: `done ${lease.taskId}`, cost_usd: lease.taskId / 100 }),
        ),
      );

      expect(answers).toEqual([true, false, true]);
      for (const id of [first, third]) {
        expect(await store.get(id)).toMatchObject({
          status: 'completed',
          final_summary: `done ${id}`,
          cost_usd: id / 100,
          lease_owner: null,
        });
        expect(await eventTypes(store, id, eventsBefore)).toEqual(['task.completed']);
      }
      // The stale completion wrote nothing: the task runs on under its new lease.
      expect(await store.get(stale)).toMatchObject({ status: 'running', lease_owner: WORKER_B.id, final_summary: null });
      expect(await eventTypes(store, stale, eventsBefore)).toEqual([]);
      expect(await store.complete(taken.lease, { ...emptyRunStats(), final_summary: 'the new owner' })).toBe(true);
      expect((await store.get(stale))!.final_summary).toBe('the new owner');
    });

    it('move a graph on when one of the group belongs to it, as a completion on its own does', async () => {
      const { store } = current();
      const { tasks } = await store.submitOrchestration({
        name: 'graph',
        failure_policy: 'skip_dependents',
        pass_results: true,
        key: null,
        budget_usd: null,
        tasks: [
          { ...taskSpec({ execution_prompt: 'Do a' }), identifier: 'a', depends_on: [], initial_delay: 0 },
          { ...taskSpec({ execution_prompt: 'Do b' }), identifier: 'b', depends_on: ['a'], initial_delay: 0 },
        ],
      });
      const lone = await enqueueTask(store);
      const claimed = await store.claimMany(WORKER_A, LEASE_MS, 2);
      expect(claimed.map((c) => c.task.id).sort((x, y) => x - y)).toEqual([tasks[0]!.id, lone].sort((x, y) => x - y));

      const answers = await Promise.all(
        claimed.map(({ lease }) => store.complete(lease, { ...emptyRunStats(), final_summary: `done ${lease.taskId}` })),
      );

      expect(answers).toEqual([true, true]);
      expect((await store.get(tasks[0]!.id))!.status).toBe('completed');
      expect((await store.get(lone))!.status).toBe('completed');
      expect((await store.get(tasks[1]!.id))!.status).toBe('pending');
    });

    it('complete a task once when its completion is written twice in the group', async () => {
      const { store } = current();
      await enqueueTask(store);
      const { lease } = await claimTask(store);
      const eventsBefore = await store.lastEventId();

      const answers = await Promise.all([
        store.complete(lease, { ...emptyRunStats(), final_summary: 'first' }),
        store.complete(lease, { ...emptyRunStats(), final_summary: 'second' }),
      ]);

      expect(answers.filter(Boolean)).toHaveLength(1);
      expect(await eventTypes(store, lease.taskId, eventsBefore)).toEqual(['task.completed']);
    });
  });
}
