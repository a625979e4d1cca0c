/**
 * PostgreSQL is down for longer than a lease while two workers' agents
 * finish their runs. Nobody could renew a lease meanwhile, so every lease
 * has run out by the time the database is back; the reapers (ticking far
 * more often than the runners renew) must still let the runners renew and
 * write the outcomes they hold, instead of taking the tasks and running
 * them again.
 */
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import { nodeEnv, readRunLog, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

const LEASE_MS = 6000;
const TASKS = 4;

let cluster: PostgresCluster;
let home: string;

beforeAll(async () => {
  // A server of this test's own: it is stopped in the middle of the test.
  cluster = await startPostgresCluster({ throwaway: true });
  home = await mkdtemp(join(tmpdir(), 'cw-db-outage-'));
});

afterAll(async () => {
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

/** Whether the worker's log shows it went without renewing its leases for longer than `ms`. */
function silentFor(worker: WorkerProcess, ms: number): boolean {
  return [...worker.output().matchAll(/heartbeat failed \((\d+) ms since the last renewal\)/g)].some((m) => Number(m[1]) > ms);
}

it('runs that finished while the database was down are recorded once it is back, and never run again', async () => {
  const runLog = join(home, 'runs.jsonl');
  const gate = join(home, 'results-may-come');
  const env = nodeEnv(home, {
    CLAUDE_WORKER_LEASE_MS: String(LEASE_MS),
    CLAUDE_WORKER_HEARTBEAT_MS: '1000',
    // The reapers tick ten times per renewal: without a grace they win the race when the database is back.
    CLAUDE_WORKER_REAP_INTERVAL_MS: '100',
    FAKE_CLAUDE_RUN_LOG: runLog,
    FAKE_CLAUDE_RESULT_GATE: gate,
  });
  const workers: WorkerProcess[] = [];
  let store: TaskStore | null = null;
  const prompts = Array.from({ length: TASKS }, (_, i) => `[fake:success] task ${i}`);
  try {
    for (const name of ['node-a', 'node-b']) workers.push(await startWorkerProcess({ db: cluster.url, name, env, workers: 2 }));
    store = await openStore(cluster.url, { warn: () => undefined });
    for (const prompt of prompts) await store.enqueue(taskSpec({ execution_prompt: prompt, working_directory: home }));
    await store.close();
    store = null;
    await waitFor(async () => (await readRunLog(runLog)).filter((run) => run.event === 'start').length === TASKS, {
      what: 'every task to start',
    });

    await cluster.restartServer({
      whileDown: async () => {
        // Every agent reports success now, with the database down.
        await writeFile(gate, '');
        await waitFor(async () => (await readRunLog(runLog)).filter((run) => run.event === 'end').length === TASKS, {
          what: 'every run to end',
        });
        // Down until every lease has run out: the runners could not renew for longer than a lease.
        await waitFor(() => workers.every((worker) => silentFor(worker, LEASE_MS + 500)), {
          what: 'every worker to go a lease without renewing',
        });
      },
    });

    store = await openStore(cluster.url, { warn: () => undefined });
    const done = await waitFor(
      async () => {
        const tasks = await store!.list({ limit: TASKS });
        return tasks.every((task) => task.status !== 'running' && task.status !== 'pending') ? tasks : null;
      },
      { what: 'every task to end after the outage', timeoutMs: 45_000, intervalMs: 100 },
    );
    expect(done.map((task) => [task.status, task.attempts, task.error_code])).toEqual(prompts.map(() => ['completed', 1, null]));
  } finally {
    await store?.close();
    const codes = await Promise.all(workers.map((worker) => worker.stop()));
    expect(codes, workers.map((worker) => worker.output()).join('\n')).toEqual([0, 0]);
  }
  const starts = (await readRunLog(runLog)).filter((run) => run.event === 'start').map((run) => run.prompt);
  expect(starts.sort()).toEqual([...prompts].sort());
});
