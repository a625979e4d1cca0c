/**
 * Three `claude-worker worker` processes on one PostgreSQL database run a
 * batch of 200 tasks with the fake Claude Code executable: every task ends
 * completed, and was run exactly once (one attempt row each, one run of the
 * fake each), by workers that shared the batch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import { nodeEnv, readRunLog, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const TASKS = 200;
/** ~40 s on two idle cores (each run of the fake is a Node process); the margin is for a loaded machine. */
const BATCH_TIMEOUT_MS = 110_000;

let cluster: PostgresCluster;
let home: string;
let store: TaskStore;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-batch-'));
  store = await openStore(cluster.url, { warn: () => undefined });
});

afterAll(async () => {
  await store?.close();
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

it(
  'three workers run 200 tasks to completion, each task exactly once',
  async () => {
    const runLog = join(home, 'runs.jsonl');
    const prompts = new Set<string>();
    for (let i = 0; i < TASKS; i++) {
      const prompt = `[fake:success] batch task ${i}`;
      prompts.add(prompt);
      await store.enqueue(taskSpec({ execution_prompt: prompt, working_directory: home }));
    }
    const env = nodeEnv(home, { FAKE_CLAUDE_RUN_LOG: runLog });
    const workers: WorkerProcess[] = [];
    try {
      for (const name of ['node-a', 'node-b', 'node-c']) workers.push(await startWorkerProcess({ db: cluster.url, name, env }));
      await waitFor(async () => (await store.countByStatus()).completed === TASKS, {
        what: `${TASKS} completed tasks`,
        timeoutMs: BATCH_TIMEOUT_MS,
        intervalMs: 250,
      });
    } finally {
      const codes = await Promise.all(workers.map((worker) => worker.stop()));
      expect(codes, workers.map((worker) => worker.output()).join('\n')).toEqual(workers.map(() => 0));
    }

    expect(await store.countByStatus()).toMatchObject({ completed: TASKS, pending: 0, running: 0, failed: 0 });
    const db = new pg.Client({ connectionString: cluster.url });
    await db.connect();
    try {
      const attempts = await db.query<{ task_id: string; attempt: number; outcome: string; worker_id: string }>(
        'SELECT task_id, attempt, outcome, worker_id FROM task_attempts ORDER BY task_id',
      );
      expect(attempts.rows).toHaveLength(TASKS);
      expect(new Set(attempts.rows.map((row) => row.task_id)).size).toBe(TASKS);
      expect(attempts.rows.every((row) => row.attempt === 1 && row.outcome === 'completed')).toBe(true);
      // The batch was shared: each worker ran some of it, under the id it registered with.
      const registered = await store.listWorkers();
      expect(registered.map((worker) => [worker.name, worker.state])).toEqual([
        ['node-a', 'stopped'],
        ['node-b', 'stopped'],
        ['node-c', 'stopped'],
      ]);
      const ranBy = new Set(attempts.rows.map((row) => row.worker_id));
      expect(ranBy).toEqual(new Set(registered.map((worker) => worker.id)));
    } finally {
      await db.end();
    }

    // What the fake itself saw: one start and one end per task, nothing else.
    const runs = await readRunLog(runLog);
    const starts = runs.filter((run) => run.event === 'start').map((run) => run.prompt);
    expect(starts).toHaveLength(TASKS);
    expect(new Set(starts)).toEqual(prompts);
    expect(runs.filter((run) => run.event === 'end')).toHaveLength(TASKS);
  },
  BATCH_TIMEOUT_MS + 10_000,
);
