/**
 * An MCP session the way a planner's client opens one: the official SDK
 * client spawning `claude-worker mcp` over stdio, with a throwaway home and
 * the fake Claude Code executable.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type PassThrough } from 'node:stream';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll } from 'vitest';
import { CLI, FAKE_CLAUDE, freePort } from './server-process.js';

/** Every tool the server offers, sorted by name. */
export const TOOL_NAMES = [
  'cancel_orchestration',
  'cancel_task',
  'check_api_health',
  'continue_task',
  'create_task',
  'get_orchestration_status',
  'get_task_diff',
  'get_task_logs',
  'get_task_status',
  'list_tasks',
  'merge_task',
  'submit_orchestration',
  'wait_for_tasks',
];

export interface McpSession {
  client: Client;
  stderr(): string;
  close(): Promise<void>;
}

export interface McpTestHome {
  dir: string;
  /** Environment for a child process (MCP server or REST server) sharing this home. */
  env: Record<string, string>;
  remove(): void;
}

export function createTestHome(extra: Record<string, string> = {}): McpTestHome {
  const dir = mkdtempSync(join(tmpdir(), 'claude-worker-mcp-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    CLAUDE_WORKER_HOME: join(dir, 'worker'),
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
    CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
    ...extra,
  };
  return { dir, env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function openMcpSession(env: Record<string, string>, cwd?: string): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'mcp'],
    env,
    stderr: 'pipe',
    ...(cwd ? { cwd } : {}),
  });
  let stderr = '';
  (transport.stderr as PassThrough | null)?.on('data', (chunk) => (stderr += chunk));
  const client = new Client({ name: 'claude-worker-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** The structured result of a successful tool call; fails the test with the text of an error result. */
export async function callOk<T = Record<string, unknown>>(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
  return result.structuredContent as T;
}

/** The parsed JSON body of an error result. */
export async function callError(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<{ error: Record<string, unknown> }> {
  const result = await client.callTool({ name, arguments: args });
  if (!result.isError) throw new Error(`${name} succeeded unexpectedly: ${JSON.stringify(result.structuredContent)}`);
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  return JSON.parse(text) as { error: Record<string, unknown> };
}

/** A prompt the strict policy accepts, running the fake executable in `mode`. */
export function validPrompt(mode: string): string {
  return (
    `[fake:${mode}] Create the file notes/summary.txt in the working directory with a one-line summary of the ` +
    'project, then check that it exists. Keep the change minimal and touch nothing else in the repository.'
  );
}

/**
 * For a describe block: an MCP server in standalone mode (no server answers
 * at its CLAUDE_WORKER_SERVER_URL) over a throwaway home, whose `project`
 * directory `makeProject` creates. The fields are set once the hooks ran.
 */
export function useStandaloneMcp(makeProject: (dir: string) => unknown = (dir) => mkdirSync(dir)): {
  home: McpTestHome;
  session: McpSession;
} {
  const mcp = {} as { home: McpTestHome; session: McpSession };
  beforeAll(async () => {
    mcp.home = createTestHome({ CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}` });
    await makeProject(join(mcp.home.dir, 'project'));
    mcp.session = await openMcpSession(mcp.home.env, mcp.home.dir);
  });
  afterAll(async () => {
    await mcp.session?.close();
    mcp.home?.remove();
  });
  return mcp;
}
