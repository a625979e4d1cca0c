import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { FAKE_CLAUDE, startServerProcess } from '../support/server-process.js';
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

it('a server with CLAUDE_WORKER_DB=postgres://… runs tasks on PostgreSQL', async () => {
  const db = await cluster.createDatabase();
  const server = await startServerProcess({
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_WORKER_HOME: home,
    CLAUDE_WORKER_DB: db,
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
    CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
  });
  try {
    const project = join(home, 'project');
    await mkdir(project);
    const { task } = await server.client.submit({ execution_prompt: '[fake:success] write it', working_directory: project });
    const done = await waitFor(async () => {
      const current = await server.client.get(task.id);
      return current.status === 'completed' ? current : null;
    }, { what: 'the task to complete' });
    expect(done.final_summary).toBe('Done: the file is written.');
    expect(await readFile(join(project, 'fake-output.txt'), 'utf8')).toMatch(/written by fake claude/);
    expect(server.output()).not.toMatch(/tasks\.db/); // it did not fall back to a SQLite file
  } finally {
    expect(await server.stop()).toBe(0);
  }
});
