import { describe, expect, it } from 'vitest';
import { PROMPT_HEAD_CHARS } from '../../../src/store/sql/task-lists.js';
import { type CurrentFixture, enqueueTask, taskSpec } from './fixture.js';

export function describeEnqueueAndReadContract(current: CurrentFixture): void {
  describe('enqueue and read', () => {
    it('stores the spec as a pending task with no attempts, runnable at once', async () => {
      const { store } = current();
      const spec = taskSpec({
        execution_prompt: 'Write the changelog',
        system_prompt: 'Be brief.',
        model: 'sonnet',
        permission_mode: 'plan',
        max_turns: 7,
        timeout_seconds: 90,
        max_attempts: 2,
        idempotency_key: 'changelog-1',
      });
      const { task, deduplicated } = await store.enqueue(spec);

      expect(deduplicated).toBe(false);
      expect(task).toMatchObject({ ...spec, status: 'pending', attempts: 0 });
      expect(task).toMatchObject({
        started_at: null,
        ended_at: null,
        cancel_requested_at: null,
        last_action_cache: null,
        final_summary: null,
        error_code: null,
        error_message: null,
        cost_usd: null,
        usage: null,
        lease_owner: null,
        lease_expires_at: null,
      });
      expect(task.run_at).toBe(task.created_at);
      expect(await store.get(task.id)).toEqual(task);
    });

    it('returns null for a task that does not exist', async () => {
      expect(await current().store.get(987_654)).toBeNull();
    });

    it('lists newest first, filters by status and pages with beforeId', async () => {
      const { store } = current();
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await enqueueTask(store, { execution_prompt: `task ${i}` }));
      const [first, second, third, fourth, fifth] = ids as [number, number, number, number, number];
      await store.requestCancel(second);
      await store.requestCancel(fourth);

      const idsOf = async (filter: Parameters<typeof store.list>[0]) => (await store.list(filter)).map((t) => t.id);
      expect(await idsOf({ limit: 10 })).toEqual([fifth, fourth, third, second, first]);
      expect(await idsOf({ limit: 2 })).toEqual([fifth, fourth]);
      expect(await idsOf({ limit: 2, beforeId: fourth })).toEqual([third, second]);
      expect(await idsOf({ limit: 2, beforeId: second })).toEqual([first]);
      expect(await idsOf({ limit: 10, status: 'cancelled' })).toEqual([fourth, second]);
      expect(await idsOf({ limit: 10, status: 'pending', beforeId: third })).toEqual([first]);
      expect(await idsOf({ limit: 10, status: 'running' })).toEqual([]);
    });

    it('lists the board rows of the tasks list() returns, with the head of each prompt', async () => {
      const { store } = current();
      const long = `${'x'.repeat(PROMPT_HEAD_CHARS + 50)}\nsecond line`;
      const short = await enqueueTask(store, { execution_prompt: 'Fix the login page\nwith care' });
      const longOne = await enqueueTask(store, { execution_prompt: long });
      await store.requestCancel(short);

      for (const filter of [
        { limit: 10 },
        { limit: 1 },
        { limit: 10, status: 'cancelled' as const },
        { limit: 10, promptContains: 'LOGIN' },
      ]) {
        const rows = await store.listBoardRows(filter);
        const tasks = await store.list(filter);
        expect(rows).toEqual(
          tasks.map((task) => ({
            id: task.id,
            status: task.status,
            prompt_head: task.execution_prompt.slice(0, PROMPT_HEAD_CHARS),
            working_directory: task.working_directory,
            branch: task.branch,
            last_action_cache: task.last_action_cache,
            created_at: task.created_at,
            started_at: task.started_at,
            ended_at: task.ended_at,
            cost_usd: task.cost_usd,
          })),
        );
      }
      expect((await store.listBoardRows({ limit: 10 })).map((row) => [row.id, row.prompt_head.length])).toEqual([
        [longOne, PROMPT_HEAD_CHARS],
        [short, 'Fix the login page\nwith care'.length],
      ]);
    });

    it('filters by text in the prompt, ignoring case, with %, _ and backslash taken as they are', async () => {
      const { store } = current();
      const prompts = [
        'Fix the LOGIN page',
        'Add tests\nfor login',
        'Raise coverage to 100%',
        'Rename a_b',
        'Rename axb',
        'C:\\temp',
      ];
      const ids: number[] = [];
      for (const prompt of prompts) ids.push(await enqueueTask(store, { execution_prompt: prompt }));
      const [upper, secondLine, percent, underscore, , backslash] = ids as number[];
      await store.requestCancel(upper!);

      const idsOf = async (filter: Parameters<typeof store.list>[0]) => (await store.list(filter)).map((t) => t.id);
      expect(await idsOf({ limit: 10, promptContains: 'login' })).toEqual([secondLine, upper]);
      expect(await idsOf({ limit: 10, promptContains: 'login', status: 'pending' })).toEqual([secondLine]);
      expect(await idsOf({ limit: 1, promptContains: 'Login', beforeId: secondLine })).toEqual([upper]);
      expect(await idsOf({ limit: 10, promptContains: '100%' })).toEqual([percent]);
      expect(await idsOf({ limit: 10, promptContains: '%' })).toEqual([percent]);
      expect(await idsOf({ limit: 10, promptContains: 'a_b' })).toEqual([underscore]);
      expect(await idsOf({ limit: 10, promptContains: ':\\' })).toEqual([backslash]);
      expect(await idsOf({ limit: 10, promptContains: 'nothing like it' })).toEqual([]);
    });

    it('returns the existing task, marked deduplicated, for an idempotency key seen before', async () => {
      const { store } = current();
      const first = await store.enqueue(taskSpec({ execution_prompt: 'original', idempotency_key: 'key-1' }));
      const again = await store.enqueue(taskSpec({ execution_prompt: 'a retry of the submit', idempotency_key: 'key-1' }));
      const other = await store.enqueue(taskSpec({ idempotency_key: 'key-2' }));

      expect(again.deduplicated).toBe(true);
      expect(again.task).toEqual(first.task);
      expect(again.task.execution_prompt).toBe('original');
      expect(other.deduplicated).toBe(false);
      expect(other.task.id).not.toBe(first.task.id);
      expect(await store.list({ limit: 10 })).toHaveLength(2);
    });

    it('never deduplicates tasks without an idempotency key', async () => {
      const { store } = current();
      const a = await store.enqueue(taskSpec());
      const b = await store.enqueue(taskSpec());
      expect(b.deduplicated).toBe(false);
      expect(b.task.id).not.toBe(a.task.id);
    });
  });
}
