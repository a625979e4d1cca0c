/**
 * A server killed with SIGKILL in the middle of a graph: the graph lives in
 * the database, so the next start recovers the interrupted tasks and runs
 * the rest, each task once, nothing lost.
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hostName } from '../../src/host/identity.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-database.js';
import { FAKE_CLAUDE, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let home: string;
let servers: ServerProcess[];

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-orch-crash-'));
  servers = [];
});

afterEach(async () => {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  }
  await rm(home, { recursive: true, force: true });
});

async function start(mode: string): Promise<ServerProcess> {
  const server = await startServerProcess(
    {
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_WORKER_HOME: home,
      CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
      CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
      FAKE_CLAUDE_MODE: mode,
      FAKE_CLAUDE_EVENTS_FILE: join(home, 'events.log'),
    },
    { workers: 2 },
  );
  servers.push(server);
  return server;
}

describe('a server killed with SIGKILL mid-graph', () => {
  it('resumes the graph after a restart: interrupted tasks run again, the rest once, nothing lost', async () => {
    const dir = join(home, 'project');
    await mkdir(dir);
    const node = (identifier: string, depends_on: string[], tag = '') => ({
      identifier,
      depends_on,
      working_directory: dir,
      execution_prompt: `${tag}Work on ${identifier} [node:${identifier}]`,
    });
    // The first server's agents hang (FAKE_CLAUDE_MODE), except a's, which succeeds by its tag.
    const first = await start('hang');
    const { orchestration } = await first.client.submitOrchestration({
      name: 'interrupted',
      tasks: [node('a', [], '[fake:success] '), node('b', ['a']), node('c', ['a']), node('d', ['b', 'c']), node('e', ['d'])],
    });

    const store = await openSqliteStore(join(home, 'tasks.db'));
    await waitFor(
      async () => {
        const attempts = await store.runningAttemptsOnHost(hostName());
        return attempts.length === 2 && attempts.every((attempt) => attempt.agent);
      },
      { what: 'b and c running' },
    );
    await store.close();
    // Their agents are at work (they recorded their start) before the server dies.
    await waitFor(
      async () => {
        const events = await readFile(join(home, 'events.log'), 'utf8').catch(() => '');
        return events.includes('start b') && events.includes('start c');
      },
      { what: 'the agents of b and c to start' },
    );
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = await start('success');
    const done = await waitFor(
      async () => {
        const current = await second.client.getOrchestration(orchestration.id);
        return current.status === 'running' ? null : current;
      },
      { what: 'the graph to end after the restart', timeoutMs: 60_000 },
    );

    expect(done.status).toBe('completed');
    expect(Object.fromEntries(done.tasks.map((t) => [t.identifier, [t.status, t.attempts]]))).toEqual({
      a: ['completed', 1],
      b: ['completed', 2],
      c: ['completed', 2],
      d: ['completed', 1],
      e: ['completed', 1],
    });
    const starts = (await readFile(join(home, 'events.log'), 'utf8'))
      .split('\n')
      .filter((line) => line.startsWith('start '))
      .map((line) => line.slice('start '.length))
      .sort();
    expect(starts).toEqual(['a', 'b', 'b', 'c', 'c', 'd', 'e']);
    expect(await second.stop()).toBe(0);
  });
});
