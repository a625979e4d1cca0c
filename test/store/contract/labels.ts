import { describe, expect, it } from 'vitest';
import { claimTask, type CurrentFixture, enqueueTask, LEASE_MS, taskSpec, WORKER_A, WORKER_B } from './fixture.js';

export function describeLabelContract(current: CurrentFixture): void {
  describe('required labels', () => {
    it('are stored with the task, names in order, and default to none', async () => {
      const { store } = current();
      const { task } = await store.enqueue(taskSpec({ required_labels: { region: 'eu', gpu: 'true' } }));
      expect(task.required_labels).toEqual({ gpu: 'true', region: 'eu' });
      expect(Object.keys((await store.get(task.id))!.required_labels)).toEqual(['gpu', 'region']);
      const plain = await enqueueTask(store);
      expect((await store.get(plain))!.required_labels).toEqual({});
      expect((await store.list({ limit: 10 })).map((t) => t.required_labels)).toEqual([{}, { gpu: 'true', region: 'eu' }]);
    });

    it('let only a worker whose labels include every required pair claim the task', async () => {
      const { store } = current();
      const id = await enqueueTask(store, { required_labels: { gpu: 'true', region: 'eu' } });

      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      expect(await store.claim(WORKER_A, LEASE_MS, { gpu: 'true' })).toBeNull();
      expect(await store.claim(WORKER_A, LEASE_MS, { gpu: 'false', region: 'eu' })).toBeNull();
      expect(await store.claim(WORKER_A, LEASE_MS, { GPU: 'true', region: 'eu' })).toBeNull();
      expect((await store.get(id))!.status).toBe('pending');

      const claimed = await store.claim(WORKER_B, LEASE_MS, { region: 'eu', gpu: 'true', arch: 'arm64' });
      expect(claimed?.task).toMatchObject({ id, status: 'running', lease_owner: WORKER_B.id });
    });

    it('hold for the tasks of an orchestration too', async () => {
      const { store } = current();
      const { tasks } = await store.submitOrchestration({
        name: 'labelled graph',
        failure_policy: 'skip_dependents',
        pass_results: true,
        key: null,
        budget_usd: null,
        tasks: [
          {
            ...taskSpec({ required_labels: { gpu: 'true', region: 'eu' } }),
            identifier: 'train',
            depends_on: [],
            initial_delay: 0,
          },
        ],
      });
      expect(tasks[0]!.required_labels).toEqual({ gpu: 'true', region: 'eu' });
      expect(await store.claim(WORKER_A, LEASE_MS)).toBeNull();
      expect((await store.claim(WORKER_B, LEASE_MS, { gpu: 'true', region: 'eu' }))?.task.identifier).toBe('train');
    });

    it('do not hold up the tasks behind one that no worker can take', async () => {
      const { store } = current();
      const gpuTask = await enqueueTask(store, { required_labels: { gpu: 'true' } });
      const anyA = await enqueueTask(store);
      const anyB = await enqueueTask(store);

      expect((await claimTask(store, WORKER_A)).task.id).toBe(anyA);
      // A labelled worker takes unlabelled tasks too, oldest first.
      expect((await store.claim(WORKER_B, LEASE_MS, { gpu: 'true' }))?.task.id).toBe(gpuTask);
      expect((await store.claim(WORKER_B, LEASE_MS, { gpu: 'true' }))?.task.id).toBe(anyB);
    });

    it('give each labelled task to exactly one of many concurrent labelled claimers', async () => {
      const { store } = current();
      const ids = new Set<number>();
      for (let i = 0; i < 20; i++) ids.add(await enqueueTask(store, { required_labels: { pool: 'build' } }));
      await enqueueTask(store, { required_labels: { pool: 'other' } });

      const claims = await Promise.all(
        Array.from({ length: 25 }, (_, i) => store.claim({ ...WORKER_A, id: `runner-${i}` }, LEASE_MS, { pool: 'build' })),
      );
      const claimed = claims.filter((c) => c !== null).map((c) => c.task.id);
      expect(claimed).toHaveLength(20);
      expect(new Set(claimed)).toEqual(ids);
    });
  });
}
