import { describe, expect, it } from 'vitest';
import { emptyRunStats } from '../../../src/core/task.js';
import { type CurrentFixture, enqueueTask, runningTask } from './fixture.js';

const lines = (taskId: number, ...texts: string[]) =>
  texts.map((text, index) => ({ taskId, at: 1_700_000_000_000 + index, text }));

export function describeLogContract(current: CurrentFixture): void {
  describe('task logs', () => {
    it('keeps lines in append order across batches, per task, with their times', async () => {
      const { store } = current();
      const first = await enqueueTask(store);
      const other = await enqueueTask(store);
      await store.appendLog(lines(first, '=== attempt 1', '[Read] a.ts'));
      await store.appendLog(lines(other, 'elsewhere'));
      await store.appendLog(lines(first, '[Write] "quoted" ⏎ text', '=== completed'));

      const all = await store.readLog(first, { afterId: 0, limit: 100 });
      expect(all.map((line) => line.text)).toEqual(['=== attempt 1', '[Read] a.ts', '[Write] "quoted" ⏎ text', '=== completed']);
      expect(all.map((line) => line.at)).toEqual([1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_000, 1_700_000_000_001]);
      expect((await store.readLog(other, { afterId: 0, limit: 100 })).map((line) => line.text)).toEqual(['elsewhere']);
    });

    it('writes one batch for several tasks, each in its order, dropping the lines of a task that is gone', async () => {
      const { store } = current();
      const first = await enqueueTask(store);
      const second = await enqueueTask(store);
      const gone = second + 1000;
      await store.appendLog([...lines(first, 'a1'), ...lines(gone, 'lost'), ...lines(second, 'b1'), ...lines(first, 'a2')]);
      expect((await store.readLog(first, { tail: 10 })).map((line) => line.text)).toEqual(['a1', 'a2']);
      expect((await store.readLog(second, { tail: 10 })).map((line) => line.text)).toEqual(['b1']);
      expect(await store.readLog(gone, { tail: 10 })).toEqual([]);
    });

    it('take text holding U+0000 (a tool printed binary): logs and outcomes are recorded, as U+FFFD where it cannot be stored', async () => {
      const { store } = current();
      const { lease, task } = await runningTask(store);
      await store.appendLog(lines(task.id, 'bytes: \u0000\u0001', 'after'));
      expect(await store.complete(lease, { final_summary: 'done \u0000', ...emptyRunStats() })).toBe(true);
      const stored = (await store.readLog(task.id, { tail: 10 })).map((line) => line.text);
      // SQLite keeps U+0000; PostgreSQL stores U+FFFD instead.
      expect(['bytes: \u0000\u0001', 'bytes: \uFFFD\u0001']).toContain(stored[0]);
      expect(stored).toHaveLength(2);
      expect(stored[1]).toBe('after');
      expect(['done \u0000', 'done \uFFFD']).toContain((await store.get(task.id))!.final_summary);
    });

    it('reads the lines after a given id, a page at a time, or the last lines', async () => {
      const { store } = current();
      const id = await enqueueTask(store);
      await store.appendLog(lines(id, 'one', 'two', 'three', 'four'));
      const page = await store.readLog(id, { afterId: 0, limit: 2 });
      expect(page.map((line) => line.text)).toEqual(['one', 'two']);
      const rest = await store.readLog(id, { afterId: page[1]!.id, limit: 10 });
      expect(rest.map((line) => line.text)).toEqual(['three', 'four']);
      expect(await store.readLog(id, { afterId: rest[1]!.id, limit: 10 })).toEqual([]);
      expect((await store.readLog(id, { tail: 3 })).map((line) => line.text)).toEqual(['two', 'three', 'four']);
    });

    it('returns nothing for a task without lines, and drops the lines of a pruned task', async () => {
      const { store, clock } = current();
      const id = await enqueueTask(store);
      expect(await store.readLog(id, { tail: 10 })).toEqual([]);
      await store.appendLog(lines(id, 'before cancel'));
      await store.requestCancel(id);
      await clock.advance(60_000);
      expect(await store.prune({ finishedMaxAgeMs: 1000, failedMaxAgeMs: 1000 }, 10)).toBe(1);
      expect(await store.readLog(id, { tail: 10 })).toEqual([]);
    });
  });
}
