import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostName } from '../../src/host/identity.js';
import { isGroupAlive } from '../../src/host/process-group.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { FAKE_CLAUDE, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let home: string;
let servers: ServerProcess[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-crash-'));
  servers = [];
});

afterEach(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  }
  await rm(home, { recursive: true, force: true });
});

function serverEnv(extra: Record<string, string>): Record<string, string | undefined> {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_WORKER_HOME: home,
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
    CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
    ...extra,
  };
}

async function start(extra: Record<string, string>, workers = 2): Promise<ServerProcess> {
  const server = await startServerProcess(serverEnv(extra), { workers });
  servers.push(server);
  return server;
}

async function submitTasks(server: ServerProcess, count: number, prompt: string): Promise<number[]> {
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const dir = join(home, `project-${i}`);
    await mkdir(dir, { recursive: true });
    ids.push((await server.client.submit({ execution_prompt: `${prompt} ${i}`, working_directory: dir })).task.id);
  }
  return ids;
}

describe('a server killed with SIGKILL', () => {
  it('leaves nothing running for ever: its agents die with it, and a restart finishes every task', async () => {
    const first = await start({ FAKE_CLAUDE_MODE: 'hang' });
    const ids = await submitTasks(first, 3, 'work on');

    // Two tasks run (two workers); wait until their agent process groups are recorded.
    const store = await openSqliteStore(join(home, 'tasks.db'));
    const agents = await waitFor(
      async () => {
        const attempts = await store.runningAttemptsOnHost(hostName());
        return attempts.length === 2 && attempts.every((a) => a.agent) ? attempts.map((a) => a.agent!) : null;
      },
      { what: 'two running agents' },
    );
    await store.close();

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // The agents run in process groups of their own, which the kill does not reach: the server's orphan guard does.
    await waitFor(() => agents.every((agent) => !isGroupAlive(agent.pgid)), { what: 'the orphaned agents to be killed' });

    const second = await start({ FAKE_CLAUDE_MODE: 'success' });
    const tasks = await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => second.client.get(id)));
        return all.every((t) => t.status === 'completed') ? all : null;
      },
      { what: 'every task completed after the restart' },
    );

    expect(tasks.map((t) => t.attempts).sort()).toEqual([1, 2, 2]);
    expect(await second.stop()).toBe(0);
  });
});

describe('two servers on one database', () => {
  it('never run the same task twice', async () => {
    const env = { FAKE_CLAUDE_MODE: 'slow', FAKE_CLAUDE_DELAY_MS: '100' };
    const a = await start(env);
    // One home has one server: the second shares the first one's database and logs from a home of its own.
    const b = await start({
      ...env,
      CLAUDE_WORKER_HOME: join(home, 'second-server'),
      CLAUDE_WORKER_DB: join(home, 'tasks.db'),
      CLAUDE_WORKER_LOG_DIR: join(home, 'logs'),
    });
    const ids = await submitTasks(a, 16, 'quick task');

    await waitFor(
      async () => {
        const all = await Promise.all(ids.map((id) => a.client.get(id)));
        return all.every((t) => t.status === 'completed');
      },
      { what: 'all tasks completed', timeoutMs: 60_000 },
    );

    const runners = new Set<string>();
    for (const id of ids) {
      const task = await b.client.get(id);
      expect(task.attempts).toBe(1);
      const starts = (await readFile(join(home, 'logs', `task-${id}.log`), 'utf8'))
        .split('\n')
        .filter((line) => line.includes('=== attempt'));
      expect(starts).toHaveLength(1);
      runners.add(/started by (\S+)/.exec(starts[0]!)![1]!);
    }
    // Each server runs two at a time, so the second one must have claimed some of the sixteen.
    expect(runners.size).toBe(2);
  });
});
