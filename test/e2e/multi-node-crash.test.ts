/**
 * `kill -9` of a worker in the middle of a task, with two more workers on the
 * same PostgreSQL database: the killed worker's agent dies with it (its
 * orphan guard kills the agent's process group), the worker is reported
 * lost, and another worker runs the task again once the lease has expired
 * and the reaper has handed the task back. Short lease timings come from the
 * environment, as an operator would set them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { isProcessRunning } from '../../src/host/identity.js';
import { openStore } from '../../src/store/open-store.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { waitFor } from '../support/wait.js';
import { nodeEnv, readRunLog, SHORT_LEASES, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let cluster: PostgresCluster;
let home: string;
let store: TaskStore;
let db: pg.Client;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-crash-'));
  store = await openStore(cluster.url, { warn: () => undefined });
  db = new pg.Client({ connectionString: cluster.url });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await store?.close();
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

interface AttemptRow {
  attempt: number;
  worker_id: string;
  agent_pid: number | null;
  outcome: string | null;
  started_at: Date;
}

async function attemptsOf(taskId: number): Promise<AttemptRow[]> {
  const { rows } = await db.query<AttemptRow>(
    'SELECT attempt, worker_id, agent_pid, outcome, started_at FROM task_attempts WHERE task_id = $1 ORDER BY attempt',
    [taskId],
  );
  return rows;
}

it('a worker killed mid-task: its agent dies with it, and another worker runs the task again', async () => {
  const runLog = join(home, 'runs.jsonl');
  const env = nodeEnv(home, {
    ...SHORT_LEASES,
    // A slow run: its Write step would come 1.5 s after the start, long after the kill.
    FAKE_CLAUDE_DELAY_MS: '1500',
    FAKE_CLAUDE_RUN_LOG: runLog,
  });
  const workers: WorkerProcess[] = [];
  try {
    for (const name of ['node-a', 'node-b', 'node-c'])
      workers.push(await startWorkerProcess({ db: cluster.url, name, env, workers: 1 }));
    const prompt = '[fake:slow] the task whose worker dies';
    const { task } = await store.enqueue(taskSpec({ execution_prompt: prompt, working_directory: home }));

    const first = await waitFor(async () => (await attemptsOf(task.id)).find((a) => a.agent_pid !== null), {
      what: 'the agent of the first attempt to start',
    });
    // Killed in the middle of its run: the agent has its prompt and waits before its Write step.
    await waitFor(async () => (await readRunLog(runLog)).some((run) => run.pid === first.agent_pid), {
      what: 'the first run to begin',
    });
    const owner = (await store.listWorkers()).find((worker) => worker.id === first.worker_id)!;
    const victim = workers.find((worker) => worker.child.pid === owner.pid)!;
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await victim.exited;

    // The agent runs in a process group of its own, so the kill did not reach it; the guard did.
    await waitFor(() => !isProcessRunning(first.agent_pid!), { what: 'the orphaned agent to be killed', timeoutMs: 5000 });

    const done = await waitFor(
      async () => {
        const current = await store.get(task.id);
        return current?.status === 'completed' ? current : null;
      },
      { what: 'the task to complete on another worker', timeoutMs: 40_000 },
    );
    expect(done.attempts).toBe(2);
    const [lost, rerun] = await attemptsOf(task.id);
    expect(lost).toMatchObject({ attempt: 1, worker_id: owner.id, outcome: 'lost' });
    expect(rerun).toMatchObject({ attempt: 2, outcome: 'completed' });
    expect(rerun!.worker_id).not.toBe(owner.id);
    console.info(`recovery: the task started again ${rerun!.started_at.getTime() - killedAt} ms after kill -9 of its worker`);

    // The orphan wrote nothing after the kill: its run started, and never reached its Write step or its end.
    const runs = await readRunLog(runLog);
    expect(runs.filter((run) => run.pid === first.agent_pid).map((run) => run.event)).toEqual(['start']);
    expect(runs.filter((run) => run.pid !== first.agent_pid).map((run) => run.event)).toEqual(['start', 'write', 'end']);

    const states = Object.fromEntries((await store.listWorkers()).map((worker) => [worker.name, worker.state]));
    expect(states).toEqual({ 'node-a': 'active', 'node-b': 'active', 'node-c': 'active', [owner.name]: 'lost' });
  } finally {
    await Promise.all(workers.map((worker) => worker.stop()));
  }
});
