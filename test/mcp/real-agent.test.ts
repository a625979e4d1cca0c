/**
 * A planner's whole round trip over MCP with the REAL Claude Code binary
 * (against the loopback Messages API stand-in): five tasks created over MCP,
 * waited for with wait_for_tasks, each result read back with
 * get_task_status, and each file the agent wrote found on disk. Once with the
 * MCP server running the tasks itself (standalone), once forwarding to a REST
 * server (proxy).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { realClaudeEnv } from '../support/agent-env.js';
import {
  DEFAULT_REPLY_TEXT,
  startFakeAnthropicApi,
  WRITTEN_CONTENT,
  type FakeAnthropicApi,
} from '../support/fake-anthropic-api.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { callOk, createTestHome, openMcpSession, type McpSession, type McpTestHome } from '../support/mcp-process.js';

const TASKS = 5;

interface WaitResult {
  all_terminal: boolean;
  working_task_ids: number[];
  tasks: TaskSummary[];
}

let api: FakeAnthropicApi;
beforeAll(async () => {
  api = await startFakeAnthropicApi();
});
afterAll(() => api?.close());

/** A throwaway home whose tasks run the real Claude Code (CLAUDE_WORKER_CLAUDE_PATH unset) against the stand-in. */
function realAgentHome(): { home: McpTestHome; env: Record<string, string>; project: string } {
  const home = createTestHome();
  const env = { ...home.env, ...realClaudeEnv(api.url, home.dir) };
  delete env.CLAUDE_WORKER_CLAUDE_PATH;
  const project = join(home.dir, 'project');
  mkdirSync(project);
  return { home, env, project };
}

/** Passes the strict prompt policy; the `[write:...]` marker makes the stand-in ask for a Write of that file. */
function taskPrompt(file: string): string {
  return (
    `Write the report file ${file} in the working directory [write:${file}]. It must hold one line saying the ` +
    'task ran. Touch nothing else in the repository and keep the change as small as possible.'
  );
}

/**
 * What a planner does after delegating: wait_for_tasks, and again with the
 * ids it reports still working, until every task has ended. Each call returns
 * as soon as all its tasks have ended; more than one call is only needed
 * when a loaded machine takes longer than one call's cap.
 */
async function waitForAll(client: Client, taskIds: number[]): Promise<void> {
  let working = taskIds;
  for (let call = 0; call < 6 && working.length > 0; call++) {
    const waited = await callOk<WaitResult>(client, 'wait_for_tasks', { task_ids: working, timeout_seconds: 50 });
    working = waited.working_task_ids;
  }
  expect(working).toEqual([]);
}

async function delegateFiveTasks(client: Client, project: string): Promise<void> {
  const files = Array.from({ length: TASKS }, (_, i) => `reports/task-${i + 1}.txt`);
  const created = await Promise.all(
    files.map((file) =>
      callOk<TaskSummary>(client, 'create_task', { execution_prompt: taskPrompt(file), working_directory: project }),
    ),
  );
  const ids = created.map((task) => task.task_id);
  expect(new Set(ids).size).toBe(TASKS);

  await waitForAll(client, ids);

  for (const [i, id] of ids.entries()) {
    const status = await callOk<TaskSummary>(client, 'get_task_status', { task_id: id });
    expect(status).toMatchObject({
      task_id: id,
      status: 'completed',
      mcp_status: 'completed',
      terminal: true,
      result_summary: DEFAULT_REPLY_TEXT,
      last_action: `[Write] ${files[i]}`,
      num_turns: 2,
    });
    expect(status.cost_usd).toBeGreaterThan(0);
    expect(readFileSync(join(project, files[i]!), 'utf8')).toBe(WRITTEN_CONTENT);
  }
}

describe('five tasks over MCP with the real Claude Code, standalone', () => {
  let setup: ReturnType<typeof realAgentHome>;
  let session: McpSession;

  beforeAll(async () => {
    setup = realAgentHome();
    // Nothing listens at the server URL, so the MCP server runs the tasks itself.
    session = await openMcpSession({ ...setup.env, CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}` });
  });
  afterAll(async () => {
    await session?.close();
    setup?.home.remove();
  });

  it('creates, waits for and reads back five completed tasks whose files exist', async () => {
    expect(await callOk(session.client, 'check_api_health', {})).toMatchObject({ mode: 'standalone' });
    await delegateFiveTasks(session.client, setup.project);
  }, 300_000);
});

describe('five tasks over MCP with the real Claude Code, proxy to a REST server', () => {
  let setup: ReturnType<typeof realAgentHome>;
  let server: ServerProcess;
  let proxy: McpSession;

  beforeAll(async () => {
    setup = realAgentHome();
    server = await startServerProcess(setup.env, { workers: 4 });
    proxy = await openMcpSession({ ...setup.env, CLAUDE_WORKER_SERVER_URL: server.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    setup?.home.remove();
  });

  it('creates, waits for and reads back five completed tasks that ran on the server', async () => {
    expect(await callOk(proxy.client, 'check_api_health', {})).toMatchObject({ mode: 'proxy' });
    await delegateFiveTasks(proxy.client, setup.project);
    const { tasks } = await server.client.list({ status: 'completed' });
    expect(tasks).toHaveLength(TASKS);
  }, 300_000);
});
