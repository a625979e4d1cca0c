/**
 * Stopping a `claude-worker worker` process with signals, on a SQLite file:
 * with `--drain-timeout` the first SIGTERM lets the running task finish and
 * claims nothing more; a second signal exits at once, and the agent dies
 * with the worker instead of running on unsupervised.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hostName, isProcessRunning } from '../../src/host/identity.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import type { TaskStore } from '../../src/store/task-store.js';
import { taskSpec } from '../store/contract/fixture.js';
import { waitFor } from '../support/wait.js';
import { nodeEnv, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let home: string;
let db: string;
let store: TaskStore;
const started: WorkerProcess[] = [];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-drain-'));
  db = join(home, 'tasks.db');
  store = await openSqliteStore(db);
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((worker) => worker.stop('SIGKILL')));
  await store.close();
  await rm(home, { recursive: true, force: true });
});

async function worker(drainTimeoutSeconds: number): Promise<WorkerProcess> {
  const process = await startWorkerProcess({
    db,
    name: 'node-a',
    env: nodeEnv(home, { FAKE_CLAUDE_DELAY_MS: '1000', FAKE_CLAUDE_PID_FILE: join(home, 'grandchild.pid') }),
    workers: 1,
    args: ['--drain-timeout', String(drainTimeoutSeconds)],
  });
  started.push(process);
  return process;
}

const stateOfWorker = async () => (await store.listWorkers()).at(-1)?.state;

/** Waits for the worker to report `draining`; a failure shows what the worker said. */
async function untilDraining(node: WorkerProcess): Promise<void> {
  try {
    await waitFor(async () => (await stateOfWorker()) === 'draining', { what: 'the worker to drain' });
  } catch (error) {
    throw new Error(`${(error as Error).message}; worker state ${await stateOfWorker()}, output:\n${node.output()}`, {
      cause: error,
    });
  }
}

it('the first SIGTERM drains: the running task finishes, nothing more is claimed, the worker exits 0', async () => {
  const first = (await store.enqueue(taskSpec({ execution_prompt: '[fake:slow] finish me', working_directory: home }))).task.id;
  const second = (await store.enqueue(taskSpec({ execution_prompt: '[fake:slow] not now', working_directory: home }))).task.id;
  const node = await worker(60);
  await waitFor(async () => (await store.get(first))?.status === 'running', { what: 'the first task to run' });

  node.child.kill('SIGTERM');
  // The draining state itself is asserted in the next test: here the task may end before a poll sees it.
  expect(await node.exited).toBe(0);
  expect(await store.get(first)).toMatchObject({ status: 'completed', attempts: 1 });
  expect(await store.get(second)).toMatchObject({ status: 'pending', attempts: 0 });
  expect(await stateOfWorker()).toBe('stopped');
  expect(node.output()).toMatch(/SIGTERM: stopping; running tasks may finish for up to 60 s/);
});

it('a second signal exits at once: the agent dies with the worker, and the next start recovers the task', async () => {
  const id = (await store.enqueue(taskSpec({ execution_prompt: '[fake:hang] never finishes', working_directory: home }))).task.id;
  const node = await worker(300);
  const [attempt] = await waitFor(
    async () => {
      const attempts = await store.runningAttemptsOnHost(hostName());
      return attempts[0]?.agent ? attempts : null;
    },
    { what: 'the agent to start' },
  );
  const grandchild = Number(await waitFor(() => readFile(join(home, 'grandchild.pid'), 'utf8').catch(() => '')));

  node.child.kill('SIGTERM');
  await untilDraining(node);
  node.child.kill('SIGTERM');
  expect(await node.exited).toBe(1);
  await waitFor(() => !isProcessRunning(attempt!.agent!.pid) && !isProcessRunning(grandchild), {
    what: 'the agent and what it started to die with the worker',
  });
  // Nobody released it: the task is still running under the dead worker's lease.
  expect(await store.get(id)).toMatchObject({ status: 'running', attempts: 1 });

  const next = await worker(0);
  await waitFor(async () => (await store.get(id))?.attempts === 2, { what: 'the next worker to run the task again' });
  expect(next.output()).toMatch(new RegExp(`recovered task\\(s\\) ${id} left running by a stopped runner`));
  expect(await next.stop()).toBe(0);
  expect(await store.get(id)).toMatchObject({ status: 'pending', attempts: 1 });
});
