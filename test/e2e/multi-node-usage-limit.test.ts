/**
 * Two servers on one PostgreSQL database, the REAL Claude Code binary and
 * one API stand-in: a usage limit met on one node pauses both, and every
 * task completes after the reset without any starting inside the window.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { realClaudeEnv } from '../support/agent-env.js';
import { startFakeAnthropicApi } from '../support/fake-anthropic-api.js';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { startServerProcess, taskEnded, type ServerProcess } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';

let cluster: PostgresCluster;
let home: string;

beforeAll(async () => {
  cluster = await startPostgresCluster();
  home = await mkdtemp(join(tmpdir(), 'cw-pg-limit-'));
});

afterAll(async () => {
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

it('two nodes on PostgreSQL honour one usage-limit pause and complete every task after the reset', async () => {
  const db = await cluster.createDatabase();
  const project = join(home, 'project');
  await mkdir(project);
  const api = await startFakeAnthropicApi();
  const nodes: ServerProcess[] = [];
  try {
    for (const name of ['node-a', 'node-b']) {
      const env = {
        ...realClaudeEnv(api.url, home, { ANTHROPIC_API_KEY: undefined, CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-test-token' }),
        CLAUDE_WORKER_HOME: join(home, name),
        CLAUDE_WORKER_DB: db,
        CLAUDE_WORKER_NAME: name,
      };
      nodes.push(await startServerProcess(env, { workers: 1 }));
    }
    const [a, b] = nodes as [ServerProcess, ServerProcess];
    const until = Date.now() + 8000;
    api.limitUntil(until);
    const reset = Math.ceil(until / 1000) * 1000;
    const ids: number[] = [];
    for (let i = 1; i <= 4; i++) {
      const { task } = await a.client.submit({ execution_prompt: `Task ${i} [reply:done ${i}]`, working_directory: project });
      ids.push(task.id);
    }

    // Whichever node met the limit, both see the one pause.
    const paused = await waitFor(async () => (await b.client.health()).paused_until, { what: 'the pause' });
    expect(Date.parse(paused)).toBeGreaterThanOrEqual(reset);
    expect((await a.client.health()).paused_until).toBe(paused);
    expect((await a.client.workers()).queue_pause).toMatchObject({
      kind: 'usage_limit',
      reason: 'usage limit reached (five_hour)',
    });

    const ended = [];
    for (const id of ids) ended.push(await taskEnded(a, id));
    for (const task of ended) {
      expect(task).toMatchObject({ status: 'completed', attempts: 1 });
      expect(Date.parse(task.started_at!)).toBeGreaterThanOrEqual(reset);
    }
    // At most one run per node met the limit before the pause stopped every claim.
    const hits = ended.reduce((sum, task) => sum + task.limit_hits, 0);
    expect(hits).toBeGreaterThanOrEqual(1);
    expect(hits).toBeLessThanOrEqual(2);
    expect(api.limitedRequests).toBe(hits);
  } finally {
    const codes = await Promise.all(nodes.map((node) => node.stop()));
    await api.close();
    expect(codes).toEqual(nodes.map(() => 0));
  }
});
