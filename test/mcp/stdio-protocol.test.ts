/**
 * The stdio stream at the byte level, without an SDK in between: stdout must
 * carry nothing but JSON-RPC messages (one stray log line breaks every
 * client), and the process must end when the client closes stdin.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, freePort } from '../support/server-process.js';
import { createTestHome, TOOL_NAMES, validPrompt } from '../support/mcp-process.js';

const MCP_BIN = new URL('../../dist/app/mcp-bin.js', import.meta.url).pathname;

interface RawSession {
  child: ChildProcessWithoutNullStreams;
  stdoutLines: string[];
  stderr(): string;
  request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  notify(method: string): void;
}

function startRaw(command: string[], env: Record<string, string>): RawSession {
  const child = spawn(process.execPath, command, { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdoutLines: string[] = [];
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdoutLines.push(line);
    try {
      const message = JSON.parse(line) as Record<string, unknown>;
      waiting.get(message.id as number)?.(message);
    } catch {
      // Recorded in stdoutLines; the assertion below reports it.
    }
  });
  let nextId = 1;
  return {
    child,
    stdoutLines,
    stderr: () => stderr,
    request(method, params) {
      const id = nextId++;
      const answered = new Promise<Record<string, unknown>>((resolve) => waiting.set(id, resolve));
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return answered;
    },
    notify(method) {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
    },
  };
}

const homes: { remove(): void }[] = [];
afterAll(() => homes.forEach((home) => home.remove()));

async function testEnv(extra: Record<string, string> = {}) {
  const home = createTestHome({ CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}`, ...extra });
  homes.push(home);
  mkdirSync(join(home.dir, 'project'));
  return home;
}

async function initialize(session: RawSession): Promise<void> {
  const init = await session.request('initialize', {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'raw-test', version: '1.0.0' },
  });
  expect(init.result).toMatchObject({ serverInfo: { name: 'claude-worker' } });
  session.notify('notifications/initialized');
}

describe('MCP stdio stream', () => {
  it('writes only JSON-RPC to stdout while running a task, logs to stderr, and exits when stdin closes', async () => {
    const home = await testEnv();
    const session = startRaw([CLI, 'mcp'], home.env);
    await initialize(session);
    const created = await session.request('tools/call', {
      name: 'create_task',
      arguments: { execution_prompt: validPrompt('success'), working_directory: join(home.dir, 'project') },
    });
    const taskId = (created.result as { structuredContent: { task_id: number } }).structuredContent.task_id;
    const waited = await session.request('tools/call', {
      name: 'wait_for_tasks',
      arguments: { task_ids: [taskId], timeout_seconds: 30 },
    });
    expect((waited.result as { structuredContent: { all_terminal: boolean } }).structuredContent.all_terminal).toBe(true);

    const exited = once(session.child, 'exit');
    session.child.stdin.end();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(session.stdoutLines.length).toBeGreaterThanOrEqual(3);
    for (const line of session.stdoutLines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    expect(session.stderr()).toContain('standalone mode');
    expect(session.stderr()).toContain('client closed the connection');
  });

  it('the claude-worker-mcp bin serves the same tools; lenient policy accepts a short prompt', async () => {
    const home = await testEnv({ CLAUDE_WORKER_PROMPT_POLICY: 'lenient' });
    const session = startRaw([MCP_BIN], home.env);
    await initialize(session);
    const listed = await session.request('tools/list', {});
    expect((listed.result as { tools: unknown[] }).tools).toHaveLength(TOOL_NAMES.length);
    const created = await session.request('tools/call', {
      name: 'create_task',
      arguments: { execution_prompt: '[fake:success] say hi', working_directory: join(home.dir, 'project') },
    });
    expect(created.result).toMatchObject({ structuredContent: { mcp_status: 'working' } });
    expect((created.result as { isError?: boolean }).isError).toBeUndefined();
    const exited = once(session.child, 'exit');
    session.child.stdin.end();
    expect((await exited)[0]).toBe(0);
    for (const line of session.stdoutLines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  });

  it('answers what is not a JSON-RPC 2.0 message with the error the spec names, and keeps serving', async () => {
    const home = await testEnv();
    const session = startRaw([CLI, 'mcp'], home.env);
    await initialize(session);
    const before = session.stdoutLines.length;
    const sent = [
      'this is not json',
      '[{"jsonrpc": "2.0", "id": 50, "method": "ping"}]',
      '[]',
      '{"jsonrpc": "1.0", "id": 51, "method": "ping"}',
      '{"jsonrpc": "2.0", "id": {"nested": true}, "method": "ping"}',
      '{"jsonrpc": "2.0", "id": 52}',
      '42',
    ];
    for (const line of sent) session.child.stdin.write(`${line}\n`);
    // A valid request after them is still answered: the connection survived.
    const ping = await session.request('ping', {});
    expect(ping).toMatchObject({ jsonrpc: '2.0', result: {} });
    const answers = session.stdoutLines
      .slice(before)
      .map((line) => JSON.parse(line) as { id: unknown; error?: { code: number; message: string } });
    const errors = answers.filter((answer) => answer.error !== undefined);
    expect(errors.map((answer) => [answer.id, answer.error!.code])).toEqual([
      [null, -32700],
      [null, -32600],
      [null, -32600],
      [51, -32600],
      [null, -32600],
      [52, -32600],
      [null, -32600],
    ]);
    expect(errors[1]!.error!.message).toMatch(/batch/i);
    expect(errors[3]!.error!.message).toMatch(/"jsonrpc": "2.0"/);
    session.child.stdin.end();
    expect((await once(session.child, 'exit'))[0]).toBe(0);
  });

  it('refuses to start with an unknown mode, saying why on stderr and nothing on stdout', async () => {
    const home = await testEnv({ CLAUDE_WORKER_MODE: 'cluster' });
    const session = startRaw([CLI, 'mcp'], home.env);
    const [code] = await once(session.child, 'exit');
    expect(code).toBe(2);
    expect(session.stderr()).toContain('CLAUDE_WORKER_MODE');
    expect(session.stdoutLines).toEqual([]);
  });
});
