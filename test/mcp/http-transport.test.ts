/**
 * MCP over Streamable HTTP at `/mcp` on a real server process: the official
 * SDK client's StreamableHTTPClientTransport, the server's guards (bearer
 * token, Origin), and the README's `claude mcp add --transport http` with
 * the real Claude Code binary.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskSummary } from '../../src/mcp/task-summary.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { callOk, createTestHome, TOOL_NAMES, validPrompt, type McpTestHome } from '../support/mcp-process.js';
import { claudeCliEnv, readmeCommands, runCommand } from '../support/readme-commands.js';

const TOKEN = 'mcp-http-test-token';

let home: McpTestHome;
let server: ServerProcess;
let endpoint: URL;
const clients: Client[] = [];

beforeAll(async () => {
  home = createTestHome({ CLAUDE_WORKER_TOKEN: TOKEN });
  mkdirSync(join(home.dir, 'project'));
  server = await startServerProcess(home.env);
  endpoint = new URL('/mcp', server.url);
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server?.stop();
  home?.remove();
});

async function connect(headers: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'claude-worker-http-test', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(endpoint, { requestInit: { headers } }));
  clients.push(client);
  return client;
}

/** A bare MCP initialize request, to see the HTTP status the guards answer with. */
function postInitialize(headers: Record<string, string>): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1.0.0' } },
    }),
  });
}

const authorized = { Authorization: `Bearer ${TOKEN}` };

describe('MCP over Streamable HTTP at /mcp', () => {
  it('lists the tools and runs a task: create_task, wait_for_tasks, get_task_status', async () => {
    const client = await connect(authorized);
    expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    expect(await callOk(client, 'check_api_health', {})).toMatchObject({ status: 'healthy', mode: 'server' });

    const created = await callOk<TaskSummary>(client, 'create_task', {
      execution_prompt: validPrompt('success'),
      working_directory: join(home.dir, 'project'),
    });
    const waited = await callOk<{ all_terminal: boolean }>(client, 'wait_for_tasks', {
      task_ids: [created.task_id],
      timeout_seconds: 45,
    });
    expect(waited.all_terminal).toBe(true);
    const status = await callOk<TaskSummary>(client, 'get_task_status', { task_id: created.task_id });
    expect(status).toMatchObject({ status: 'completed', mcp_status: 'completed', terminal: true });
    expect(status.result_summary).toBeTruthy();
    // The same task, as the REST API sees it.
    expect(await server.client.get(created.task_id)).toMatchObject({ status: 'completed', final_summary: status.result_summary });
  });

  it('refuses a client without the token or with a wrong one', async () => {
    await expect(connect({})).rejects.toThrow(/401|unauthorized/i);
    await expect(connect({ Authorization: 'Bearer not-the-token' })).rejects.toThrow(/401|unauthorized/i);
    expect((await postInitialize({})).status).toBe(401);
    expect((await postInitialize({ Authorization: 'Bearer not-the-token' })).status).toBe(401);
    expect((await postInitialize(authorized)).status).toBe(200);
  });

  it('refuses a request from a foreign origin, even with the token', async () => {
    const foreign = { ...authorized, Origin: 'https://evil.example' };
    await expect(connect(foreign)).rejects.toThrow(/403|forbidden|cross-origin/i);
    expect((await postInitialize(foreign)).status).toBe(403);
  });

  it("the README's claude mcp add --transport http connects; with a wrong token it does not", async () => {
    const [add, get] = readmeCommands('**Over HTTP.**');
    expect(add).toContain('http://127.0.0.1:8000/mcp');
    /** The README's commands in a fresh Claude Code home, pointed at this server's port instead of the default one. */
    const install = async (token: string, claudeHome: string) => {
      const env = { ...claudeCliEnv(join(home.dir, claudeHome)), CLAUDE_WORKER_TOKEN: token };
      const added = await runCommand(add!.replace('http://127.0.0.1:8000', server.url), env);
      expect(added.code, added.output).toBe(0);
      return (await runCommand(get!, env)).output;
    };
    const connected = await install(TOKEN, 'claude-home');
    expect(connected).toContain('Connected');
    expect(connected).not.toContain('Failed to connect');
    expect(await install('not-the-token', 'claude-home-wrong-token')).toContain('Failed to connect');
  });
});
