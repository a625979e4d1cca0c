/**
 * PostgreSQL stopped (`pg_ctl stop -m fast`: every connection is cut) while
 * three workers run a batch, and started again only once the workers have
 * stopped their agents for fear of losing their leases (self-fencing): the
 * workers reconnect and carry on, the stopped tasks run again, no task is
 * lost, and no task ever has two runs at once (the fake records when each
 * run starts and ends).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import {
  nodeEnv,
  readRunLog,
  SHORT_LEASES,
  startWorkerProcess,
  type FakeRun,
  type WorkerProcess,
} from '../support/worker-process.js';

/** One per slot (three workers, two each): all of them running when the database goes. */
const LONG_TASKS = 6;
/** Queued behind the long ones: claimed once the database is back. */
const QUICK_TASKS = 6;

let cluster: PostgresCluster;
let home: string;

beforeAll(async () => {
  // A server of this test's own: it is stopped in the middle of the test.
  cluster = await startPostgresCluster({ throwaway: true });
  home = await mkdtemp(join(tmpdir(), 'cw-db-restart-'));
});

afterAll(async () => {
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

/** The runs of each prompt as [start, end] intervals; a run with no end is open (ends at Infinity). */
function intervalsByPrompt(runs: readonly FakeRun[]): Map<string, [number, number][]> {
  const byPid = new Map<number, { prompt: string; start: number; end: number }>();
  for (const run of runs) {
    const entry = byPid.get(run.pid) ?? { prompt: run.prompt, start: Infinity, end: Infinity };
    if (run.event === 'start') entry.start = run.at;
    if (run.event === 'end') entry.end = run.at;
    byPid.set(run.pid, entry);
  }
  const byPrompt = new Map<string, [number, number][]>();
  for (const { prompt, start, end } of byPid.values()) byPrompt.set(prompt, [...(byPrompt.get(prompt) ?? []), [start, end]]);
  return byPrompt;
}

it('workers ride out a database restart: nothing lost, no task run twice at once', async () => {
  const runLog = join(home, 'runs.jsonl');
  const env = nodeEnv(home, {
    ...SHORT_LEASES,
    // Runs of ~9 s: still running when their workers give up on the database (3 s after it went).
    FAKE_CLAUDE_DELAY_MS: '3000',
    FAKE_CLAUDE_RUN_LOG: runLog,
  });
  const workers: WorkerProcess[] = [];
  let store: TaskStore | null = null;
  const long = Array.from({ length: LONG_TASKS }, (_, i) => `[fake:slow] long task ${i}`);
  const quick = Array.from({ length: QUICK_TASKS }, (_, i) => `[fake:success] quick task ${i}`);
  try {
    for (const name of ['node-a', 'node-b', 'node-c']) {
      workers.push(await startWorkerProcess({ db: cluster.url, name, env, workers: 2 }));
    }
    store = await openStore(cluster.url, { warn: () => undefined });
    for (const prompt of [...long, ...quick])
      await store.enqueue(taskSpec({ execution_prompt: prompt, working_directory: home }));
    await store.close();
    store = null;
    await waitFor(async () => (await readRunLog(runLog)).filter((run) => run.event === 'start').length === LONG_TASKS, {
      what: 'every long task to start',
    });
    await cluster.restartServer({
      // Down until every worker has stopped its agents: longer than their leases can be trusted.
      whileDown: () =>
        waitFor(() => workers.every((worker) => /stopping 2 agent/.test(worker.output())), {
          what: 'every worker to stop its agents',
        }),
    });

    store = await openStore(cluster.url, { warn: () => undefined });
    const all = LONG_TASKS + QUICK_TASKS;
    await waitFor(async () => (await store!.countByStatus()).completed === all, {
      what: 'every task to complete after the restart',
      timeoutMs: 45_000,
      intervalMs: 250,
    });
    expect(await store.countByStatus()).toMatchObject({ completed: all, pending: 0, running: 0, failed: 0 });
    expect((await store.listWorkers()).map((worker) => worker.state)).toEqual(['active', 'active', 'active']);
  } finally {
    await store?.close();
    const codes = await Promise.all(workers.map((worker) => worker.stop()));
    expect(codes, workers.map((worker) => worker.output()).join('\n')).toEqual([0, 0, 0]);
  }

  const runs = intervalsByPrompt(await readRunLog(runLog));
  // The stopped long runs ran again, once; the quick ones once.
  expect(Object.fromEntries([...runs].map(([prompt, intervals]) => [prompt, intervals.length]))).toEqual({
    ...Object.fromEntries(long.map((prompt) => [prompt, 2])),
    ...Object.fromEntries(quick.map((prompt) => [prompt, 1])),
  });
  for (const [prompt, intervals] of runs) {
    intervals.sort((a, b) => a[0] - b[0]);
    for (const [, end] of intervals) expect(end, `a run of "${prompt}" that never ended`).toBeLessThan(Infinity);
    for (let i = 1; i < intervals.length; i++) {
      expect(intervals[i]![0], `two runs of "${prompt}" at once`).toBeGreaterThanOrEqual(intervals[i - 1]![1]);
    }
  }
});
