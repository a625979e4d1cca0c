import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import {
  callError,
  callOk,
  createTestHome,
  openMcpSession,
  TOOL_NAMES,
  validPrompt,
  type McpSession,
  type McpTestHome,
} from '../support/mcp-process.js';

describe('MCP server over stdio, proxy to a REST server', () => {
  let home: McpTestHome;
  let server: ServerProcess;
  let proxy: McpSession;
  let project: string;

  beforeAll(async () => {
    home = createTestHome();
    project = join(home.dir, 'project');
    mkdirSync(project);
    server = await startServerProcess(home.env);
    // No CLAUDE_WORKER_MODE: a server answers at the URL, so the default is proxy.
    proxy = await openMcpSession({ ...home.env, CLAUDE_WORKER_SERVER_URL: server.url });
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    home?.remove();
  });

  it('forwards to the server: a task created over MCP runs there and reads back on both sides', async () => {
    expect(await callOk(proxy.client, 'check_api_health', {})).toMatchObject({ mode: 'proxy', status: 'healthy' });
    const created = await callOk<TaskSummary>(proxy.client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: project,
    });
    const waited = await callOk<{ all_terminal: boolean; tasks: TaskSummary[] }>(proxy.client, 'wait_for_tasks', {
      task_ids: [created.task_id],
      timeout_seconds: 30,
    });
    expect(waited.all_terminal).toBe(true);
    expect(waited.tasks[0]!.status).toBe('completed');

    const onServer = await server.client.get(created.task_id);
    expect(onServer.status).toBe('completed');
    expect(onServer.final_summary).toBe(waited.tasks[0]!.result_summary);
    // The MCP door added the simplicity guidance to the empty system prompt.
    expect(onServer.system_prompt).toContain('John Carmack');
  });

  it('a standalone MCP server on the same home sees the same tasks', async () => {
    const standalone = await openMcpSession({
      ...home.env,
      CLAUDE_WORKER_SERVER_URL: server.url,
      CLAUDE_WORKER_MODE: 'standalone',
    });
    try {
      expect(await callOk(standalone.client, 'check_api_health', {})).toMatchObject({ mode: 'standalone' });
      const fromStandalone = await callOk<{ tasks: TaskSummary[] }>(standalone.client, 'list_tasks', {});
      const fromProxy = await callOk<{ tasks: TaskSummary[] }>(proxy.client, 'list_tasks', {});
      expect(fromStandalone.tasks.map((t) => t.task_id)).toEqual(fromProxy.tasks.map((t) => t.task_id));
      expect(fromProxy.tasks.length).toBeGreaterThan(0);
    } finally {
      await standalone.close();
    }
  });

  it('answers with a clear tool error once the server is gone, and keeps serving', async () => {
    const { tasks } = await callOk<{ tasks: TaskSummary[] }>(proxy.client, 'list_tasks', {});
    await server.stop();
    const { error } = await callError(proxy.client, 'get_task_status', { task_id: tasks[0]!.task_id });
    expect(error.code).toBe('server_unreachable');
    expect(error.message).toContain(server.url);
    expect(error.message).toContain('claude-worker server start');
    // Still alive and answering.
    expect((await callError(proxy.client, 'check_api_health', {})).error.code).toBe('server_unreachable');
    expect((await proxy.client.listTools()).tools.length).toBe(TOOL_NAMES.length);
  });
});
