import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { CLI, FAKE_CLAUDE, startServerProcess } from '../support/server-process.js';
import { taskSpec } from '../support/task-spec.js';
import { waitFor } from '../support/wait.js';

let cluster: PostgresCluster;
let home: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-pg-server-'));
});

afterAll(async () => {
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

const baseEnv = () => ({
  PATH: process.env.PATH,
  HOME: home,
  CLAUDE_WORKER_HOME: home,
  CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
  CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
});

it('a server with CLAUDE_WORKER_DB=postgres://… runs tasks on PostgreSQL', async () => {
  const db = await cluster.createDatabase();
  const server = await startServerProcess({ ...baseEnv(), CLAUDE_WORKER_DB: db });
  try {
    const project = join(home, 'project');
    await mkdir(project, { recursive: true });
    const { task } = await server.client.submit({ execution_prompt: '[fake:success] write it', working_directory: project });
    const done = await waitFor(
      async () => {
        const current = await server.client.get(task.id);
        return current.status === 'completed' ? current : null;
      },
      { what: 'the task to complete' },
    );
    expect(done.final_summary).toBe('Done: the file is written.');
    expect(await readFile(join(project, 'fake-output.txt'), 'utf8')).toMatch(/written by fake claude/);
    expect(server.output()).not.toMatch(/tasks\.db/); // it did not fall back to a SQLite file
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

it('two `worker` processes on one PostgreSQL run a batch, each task once, and stop on SIGTERM', async () => {
  const db = await cluster.createDatabase();
  const store = await openStore(db);
  const ids: number[] = [];
  for (let i = 0; i < 12; i++) {
    const dir = join(home, `batch-${i}`);
    await mkdir(dir, { recursive: true });
    const { task } = await store.enqueue(
      taskSpec({ execution_prompt: '[fake:slow] batch task', working_directory: dir, timeout_seconds: 60 }),
    );
    ids.push(task.id);
  }
  const workers: ChildProcess[] = [0, 1].map(() =>
    spawn(process.execPath, [CLI, 'worker', '--db', db, '--concurrency', '2'], {
      // Logs of their own: task ids start again at 1 in this database.
      env: { ...baseEnv(), CLAUDE_WORKER_LOG_DIR: join(home, 'batch-logs'), FAKE_CLAUDE_DELAY_MS: '100' },
      stdio: 'ignore',
    }),
  );
  try {
    await waitFor(
      async () => {
        const tasks = await Promise.all(ids.map((id) => store.get(id)));
        return tasks.every((t) => t?.status === 'completed');
      },
      { what: 'the batch to complete', timeoutMs: 60_000 },
    );
    for (const id of ids) expect((await store.get(id))!.attempts).toBe(1);
    const starts = await Promise.all(ids.map((id) => readFile(join(home, 'batch-logs', `task-${id}.log`), 'utf8')));
    expect(starts.every((log) => log.split('=== attempt').length === 2)).toBe(true);
    // The same log is in the database, for a server on any node to serve.
    for (const id of ids) {
      const stored = (await store.readLog(id, { afterId: 0, limit: 100 })).map((line) => line.text);
      expect(stored[0]).toMatch(/^=== attempt 1 of 3 started by /);
      expect(stored.at(-1)).toBe('=== completed');
    }
  } finally {
    for (const worker of workers) worker.kill('SIGTERM');
    const codes = await Promise.all(workers.map((worker) => once(worker, 'exit').then(([code]) => code)));
    expect(codes).toEqual([0, 0]);
    await store.close();
  }
});
