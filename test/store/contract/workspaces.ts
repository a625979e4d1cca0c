import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import type { EnqueueSpec } from '../../../src/store/task-store.js';
import { type CurrentFixture, claimTask, enqueueTask, runningTask, taskSpec, WORKER_B } from './fixture.js';

const BASE = '0123456789abcdef0123456789abcdef01234567';
const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
const START = '00112233445566778899aabbccddeeff00112233';

/** A task of an orchestration: `identifier`, after `depends_on`. */
function graphTask(identifier: string, depends_on: string[], overrides: Partial<EnqueueSpec> = {}) {
  return { ...taskSpec({ execution_prompt: `Do ${identifier}`, ...overrides }), identifier, depends_on, initial_delay: 0 };
}

export function describeWorkspaceContract(current: CurrentFixture): void {
  describe('workspaces', () => {
    it('store a task in place with no workspace fields unless asked', async () => {
      const { store } = current();
      const { task } = await store.enqueue(taskSpec());
      expect(task).toMatchObject({
        isolation: 'none',
        base_commit: null,
        branch: null,
        worktree_path: null,
        head_commit: null,
        changes: null,
        merged_at: null,
        merge_commit: null,
        continues: null,
      });
    });

    it('keep the isolation and base commit of a submitted task, in its orchestration too', async () => {
      const { store } = current();
      const { task } = await store.enqueue(taskSpec({ isolation: 'worktree', base_commit: BASE }));
      expect(task).toMatchObject({ isolation: 'worktree', base_commit: BASE });
      expect(await store.get(task.id)).toEqual(task);

      const graph = await store.submitOrchestration({
        name: null,
        key: null,
        budget_usd: null,
        failure_policy: 'skip_dependents',
        pass_results: true,
        tasks: [{ ...taskSpec({ isolation: 'worktree', base_commit: HEAD }), identifier: 'a', depends_on: [], initial_delay: 0 }],
      });
      expect(graph.tasks[0]).toMatchObject({ isolation: 'worktree', base_commit: HEAD });
    });

    it("store a follow-up with the task it continues and that task's branch and worktree", async () => {
      const { store } = current();
      const { task: parent } = await store.enqueue(taskSpec({ isolation: 'worktree', base_commit: BASE }));
      const where = { branch: 'claude-worker/1-fix', worktree_path: '/w/1' };
      const spec = taskSpec({ isolation: 'worktree', base_commit: HEAD, continues: parent.id, ...where });
      const { task } = await store.enqueue(spec);
      expect(task).toMatchObject({ continues: parent.id, base_commit: HEAD, ...where });
      expect(await store.get(task.id)).toEqual(task);
    });

    it('record the branch and worktree, then the head and changes, for the lease holder only', async () => {
      const { store } = current();
      const { lease } = await runningTask(store, { isolation: 'worktree', base_commit: BASE });
      expect(await store.recordWorkspace(lease, { branch: 'claude-worker/1-fix', worktree_path: '/w/1' })).toBe(true);
      expect(await store.recordWorkspace(lease, { head_commit: HEAD, changes: { files: 2, insertions: 10, deletions: 3 } })).toBe(
        true,
      );
      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      expect(await store.get(lease.taskId)).toMatchObject({
        status: 'completed',
        base_commit: BASE,
        branch: 'claude-worker/1-fix',
        worktree_path: '/w/1',
        head_commit: HEAD,
        changes: { files: 2, insertions: 10, deletions: 3 },
      });
      expect(await store.recordWorkspace(lease, { head_commit: BASE })).toBe(false);
      expect((await store.get(lease.taskId))?.head_commit).toBe(HEAD);
    });

    it('record the commit a task really started from in place of the one named at submit', async () => {
      const { store } = current();
      const { lease } = await runningTask(store, { isolation: 'worktree', base_commit: BASE });
      expect(await store.recordWorkspace(lease, { base_commit: START, branch: 'claude-worker/1-fix' })).toBe(true);
      expect(await store.recordWorkspace(lease, { head_commit: HEAD })).toBe(true);
      expect(await store.get(lease.taskId)).toMatchObject({
        base_commit: START,
        branch: 'claude-worker/1-fix',
        head_commit: HEAD,
      });
    });

    it("give a starting task its dependencies' heads and isolation, whether results are passed or not", async () => {
      const { store } = current();
      const worktree = { isolation: 'worktree' as const, base_commit: BASE };
      const { tasks } = await store.submitOrchestration({
        name: null,
        key: null,
        budget_usd: null,
        failure_policy: 'continue',
        pass_results: false,
        tasks: [
          graphTask('a', [], worktree),
          graphTask('b', [], worktree),
          graphTask('n', []),
          graphTask('d', ['a', 'b', 'n'], worktree),
        ],
      });
      const [a, b, n, d] = tasks.map((task) => task.id);
      const { lease: leaseA } = await claimTask(store);
      expect(leaseA.taskId).toBe(a);
      await store.recordWorkspace(leaseA, { branch: 'claude-worker/a', head_commit: HEAD });
      await store.complete(leaseA, { final_summary: 'a done', ...emptyRunStats() });
      // b failed before it had a workspace: no head.
      const { lease: leaseB } = await claimTask(store);
      expect(leaseB.taskId).toBe(b);
      await store.fail(leaseB, { error_code: 'setup_failed', error_message: 'no worktree' }, null);

      expect(await store.dependencyHeads(d!)).toEqual([
        { identifier: 'a', isolation: 'worktree', head_commit: HEAD },
        { identifier: 'b', isolation: 'worktree', head_commit: null },
        { identifier: 'n', isolation: 'none', head_commit: null },
      ]);
      expect(await store.dependencyHeads(a!)).toEqual([]);
      expect(await store.dependencyHeads(n!)).toEqual([]);
    });

    it('refuse a workspace write under a lease that is not the current one', async () => {
      const { store } = current();
      await enqueueTask(store, { isolation: 'worktree', base_commit: BASE });
      const { lease } = await claimTask(store);
      await store.release(lease);
      await claimTask(store, WORKER_B);
      expect(await store.recordWorkspace(lease, { branch: 'stale' })).toBe(false);
      expect((await store.get(lease.taskId))?.branch).toBeNull();
    });

    it('record a merge of an ended task, and refuse one of a task that has not ended', async () => {
      const { store } = current();
      const { lease } = await runningTask(store, { isolation: 'worktree', base_commit: BASE });
      expect(await store.recordMerge(lease.taskId, { merge_commit: HEAD })).toBe(false);
      expect(await store.get(lease.taskId)).toMatchObject({ merged_at: null, merge_commit: null });

      await store.complete(lease, { final_summary: 'done', ...emptyRunStats() });
      expect(await store.recordMerge(lease.taskId, { merge_commit: HEAD })).toBe(true);
      const merged = await store.get(lease.taskId);
      expect(merged).toMatchObject({ status: 'completed', merge_commit: HEAD });
      expect(merged?.merged_at).toBeGreaterThanOrEqual(merged!.ended_at!);
      expect(await store.recordMerge(9999, { merge_commit: HEAD })).toBe(false);
    });
  });
}
