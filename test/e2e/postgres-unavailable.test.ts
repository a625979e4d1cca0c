/**
 * PostgreSQL out of reach: the REST API answers 503 `store_unavailable`
 * naming the database (never its password) and saying nothing was stored;
 * the CLI shows the same; a worker started on an unreachable URL says which
 * database it could not reach and how to check it.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres-cluster.js';
import { CLI, freePort, startServerProcess } from '../support/server-process.js';
import { nodeEnv } from '../support/worker-process.js';

let cluster: PostgresCluster;
let home: string;

beforeAll(async () => {
  // A server of this test's own: it is stopped in the middle of the test.
  cluster = await startPostgresCluster({ throwaway: true });
  home = await mkdtemp(join(tmpdir(), 'cw-pg-unavailable-'));
});

afterAll(async () => {
  await cluster?.stop();
  await rm(home, { recursive: true, force: true });
});

/** The cluster trusts every local connection: a password in the URL is accepted, and must never be shown. */
function withPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = 'hunter2secret';
  return parsed.toString();
}

async function cli(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}

it('with PostgreSQL down, /health and a submit answer 503 naming the database, and the CLI says so', async () => {
  const db = withPassword(cluster.url);
  const env = nodeEnv(home, { CLAUDE_WORKER_DB: db });
  const server = await startServerProcess(env, { args: ['--no-worker'] });
  try {
    await cluster.restartServer({
      whileDown: async () => {
        const health = await fetch(`${server.url}/health`);
        const submit = await fetch(`${server.url}/api/v1/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ execution_prompt: 'Write the report', working_directory: home }),
        });
        for (const response of [health, submit]) {
          expect(response.status).toBe(503);
          const { error } = (await response.json()) as { error: { code: string; message: string } };
          expect(error.code).toBe('store_unavailable');
          expect(error.message).toMatch(
            /^The database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\w+ cannot be reached \(.+\); nothing was stored\./,
          );
          expect(error.message).not.toContain('hunter2secret');
        }
        await expect(server.client.health()).rejects.toMatchObject({ code: 'store_unavailable', httpStatus: 503 });
        const run = await cli(['run', 'Write the report', '--dir', home], { ...env, CLAUDE_WORKER_SERVER_URL: server.url });
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(
          /^error: The database postgres:\/\/postgres:\*\*\*@.+ cannot be reached .*nothing was stored\. Check that PostgreSQL runs/m,
        );
        expect(run.stderr).not.toMatch(/hunter2secret|at .*\.js:\d+/);
      },
    });
    // Back up: the same server answers again without a restart.
    expect((await server.client.health()).status).toBe('healthy');
  } finally {
    expect(await server.stop()).toBe(0);
  }
});

it('a worker on a PostgreSQL URL nobody answers at names the database and how to check it', async () => {
  const port = await freePort();
  const result = await cli(['worker', '--db', `postgres://me:hunter2secret@127.0.0.1:${port}/tasks`], nodeEnv(home));
  expect(result.code).toBe(1);
  expect(result.stderr).toContain(
    `error: The database postgres://me:***@127.0.0.1:${port}/tasks cannot be reached (connect ECONNREFUSED 127.0.0.1:${port}); nothing was stored. ` +
      `Check that PostgreSQL runs and accepts connections at 127.0.0.1:${port} (pg_isready -h 127.0.0.1 -p ${port}), then try again.`,
  );
  expect(result.stderr).not.toContain('hunter2secret');
});
