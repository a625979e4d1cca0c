/**
 * A cluster as the README sets it up: an API server with `--no-worker` and
 * three `claude-worker worker` nodes on one PostgreSQL database, one of them
 * labelled gpu=true. Driven through the CLI: `workers` shows each node's
 * capacity and running tasks, `run --require-label` sends a task to the node
 * that has the label, and a task nobody can take waits and says why.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Task } from '../../src/core/task.js';
import type { WorkerList } from '../../src/core/worker.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { nodeEnv, startWorkerProcess, type WorkerProcess } from '../support/worker-process.js';

let cluster: PostgresCluster;
let home: string;
let project: string;
let api: ServerProcess;
let cli: CliHome;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-registry-'));
  project = join(home, 'project');
  await mkdir(project);
  const env = nodeEnv(home, { CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits', CLAUDE_WORKER_DB: cluster.url });
  api = await startServerProcess(env, { args: ['--no-worker'] });
  workers.push(await startWorkerProcess({ db: cluster.url, name: 'node-a', env, workers: 2 }));
  workers.push(await startWorkerProcess({ db: cluster.url, name: 'node-b', env, workers: 2 }));
  workers.push(await startWorkerProcess({ db: cluster.url, name: 'node-gpu', env, workers: 1, labels: 'gpu=true' }));
  cli = await createCliHome(() => ({ CLAUDE_WORKER_SERVER_URL: api.url }));
});

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await api?.stop();
  await cli?.dispose();
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

async function cliJson<T>(args: string[]): Promise<T> {
  const result = await cli.run([...args, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

const untilStatus = (id: number, status: Task['status']) =>
  waitFor(async () => (await api.client.get(id)).status === status, { what: `task ${id} ${status}` });

it('`workers` shows every node with its capacity and running tasks; the API server runs none itself', async () => {
  const ids: number[] = [];
  for (let i = 0; i < 5; i++) ids.push((await cliJson<Task>(['run', `[fake:hang] fills slot ${i}`, '--dir', project])).id);
  for (const id of ids) await untilStatus(id, 'running');

  const list = await cliJson<WorkerList>(['workers']);
  expect(list.retention_seconds).toBe(24 * 3600);
  expect(list.workers.map(({ name, state, capacity, running, labels }) => ({ name, state, capacity, running, labels }))).toEqual([
    { name: 'node-a', state: 'active', capacity: 2, running: 2, labels: {} },
    { name: 'node-b', state: 'active', capacity: 2, running: 2, labels: {} },
    { name: 'node-gpu', state: 'active', capacity: 1, running: 1, labels: { gpu: 'true' } },
  ]);
  expect(list.workers.map((worker) => worker.pid)).toEqual(workers.map((worker) => worker.child.pid));

  const table = await cli.run(['workers']);
  expect(table.stdout).toMatch(/^NAME\s+HOST\s+PID\s+STATE\s+RUNNING\s+LABELS\s+HEARTBEAT$/m);
  expect(table.stdout).toMatch(/^node-gpu\s+\S+\s+\d+\s+active\s+1\/1\s+gpu=true\s+\d+s ago$/m);
  expect(table.stdout).toContain('Stopped and lost workers stay listed for 1d after their last heartbeat.');

  const health = await api.client.health();
  expect(health).toMatchObject({ max_concurrency: 0, running: 5, pending: 0 });

  for (const id of ids) await api.client.cancel(id);
  for (const id of ids) await untilStatus(id, 'cancelled');
  expect((await cliJson<WorkerList>(['workers'])).workers.map((worker) => worker.running)).toEqual([0, 0, 0]);
});

it('a task that requires gpu=true runs only on the node that has it; one nobody can take waits and says why', async () => {
  const gpuTasks: number[] = [];
  const anyTasks: number[] = [];
  for (let i = 0; i < 3; i++) {
    gpuTasks.push(
      (await cliJson<Task>(['run', `[fake:success] gpu task ${i}`, '--dir', project, '--require-label', 'gpu=true'])).id,
    );
    anyTasks.push((await cliJson<Task>(['run', `[fake:success] any task ${i}`, '--dir', project])).id);
  }
  const nowhere = await cliJson<Task>([
    'run',
    '[fake:success] on mars',
    '--dir',
    project,
    '--require-labels',
    'gpu=true,region=mars',
  ]);
  expect(nowhere.required_labels).toEqual({ gpu: 'true', region: 'mars' });

  for (const id of [...gpuTasks, ...anyTasks]) await untilStatus(id, 'completed');
  const db = new pg.Client({ connectionString: cluster.url });
  await db.connect();
  try {
    const { rows } = await db.query<{ task_id: string; name: string }>(
      `SELECT a.task_id, w.name FROM task_attempts a JOIN workers w ON w.id = a.worker_id WHERE a.task_id = ANY($1)`,
      [gpuTasks],
    );
    expect(rows.map((row) => row.name)).toEqual(['node-gpu', 'node-gpu', 'node-gpu']);
  } finally {
    await db.end();
  }

  // Every node has been idle since: the task that requires region=mars was passed over, not lost.
  expect(await api.client.get(nowhere.id)).toMatchObject({ status: 'pending', attempts: 0 });
  const status = await cli.run(['status', String(nowhere.id)]);
  expect(status.stdout).toMatch(/^Requires: +gpu=true,region=mars \(no active worker has these labels: it waits\)$/m);
  const list = await cli.run(['list', '--status', 'pending']);
  expect(list.stdout).toContain('waiting for a worker with gpu=true,region=mars');
  await api.client.cancel(nowhere.id);
});
