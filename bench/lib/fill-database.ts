/** A SQLite task database filled with many finished tasks at once, for scenarios that read a big table. */
import Database from 'better-sqlite3';
import { emptyRunStats } from '../../src/core/task.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { taskSpec } from '../../test/support/task-spec.js';

/** `count` finished tasks, mostly completed, one in ten failed: one made through the store, copied in SQL. */
export async function fillDatabase(path: string, dir: string, count: number): Promise<void> {
  await makeTemplateTask(path, {
    prompt: 'Add tests for ./src/math.ts '.repeat(20),
    dir,
    summary: 'Added 12 tests; all pass. '.repeat(10),
  });
  const db = new Database(path);
  const columns = (db.prepare('PRAGMA table_info(tasks)').all() as { name: string }[])
    .map((c) => c.name)
    .filter((name) => name !== 'id');
  const list = columns.join(', ');
  const copied = columns
    .map((name) => (name === 'status' ? `CASE WHEN n % 10 = 0 THEN 'failed' ELSE status END` : name))
    .join(', ');
  db.exec(`
    WITH RECURSIVE n(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM n WHERE n < ${count - 1})
    INSERT INTO tasks (${list}) SELECT ${copied} FROM tasks, n WHERE tasks.id = 1`);
  db.close();
}

/** Task 1, made and run through the store: the row has every column the migrations gave it, to copy from. */
export async function makeTemplateTask(path: string, task: { prompt: string; dir: string; summary: string }): Promise<void> {
  const store = await openSqliteStore(path);
  try {
    await store.enqueue(taskSpec({ execution_prompt: task.prompt, working_directory: task.dir }));
    const claimed = await store.claim({ id: 'bench', host: 'bench', bootId: 'bench', pid: 1, procStartTime: null }, 60_000);
    await store.complete(claimed!.lease, { final_summary: task.summary, ...emptyRunStats() });
  } finally {
    await store.close();
  }
}
