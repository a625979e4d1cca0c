/**
 * The official MCP Inspector, in its CLI mode, against `claude-worker-mcp`
 * over stdio: a client written by others, talking to the server the way a
 * user's MCP client config would start it.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { cachedPackage } from '../support/cached-package.js';
import { node22 } from '../support/node22.js';
import { FAKE_CLAUDE, freePort } from '../support/server-process.js';
import { createTestHome, TOOL_NAMES, validPrompt, type McpTestHome } from '../support/mcp-process.js';

/** Not a devDependency: it wants Node 22, and would warn so on every `npm install` (see cached-package.ts). */
const INSPECTOR_VERSION = '2.12.0';
const inspectorLauncher = (dir: string) =>
  join(dir, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const MCP_BIN = new URL('../../dist/app/mcp-bin.js', import.meta.url).pathname;
/** The inspector's exit code for a tool call answered with `isError: true`. */
const TOOL_ERROR_EXIT = 5;

interface InspectorRun {
  code: number;
  /** The single JSON document the inspector prints on stdout. */
  output: { result?: Record<string, unknown> };
  stderr: string;
}

let home: McpTestHome;
let nodeForInspector: string;
let inspector: string;
let serverUrl: string;

beforeAll(async () => {
  nodeForInspector = await node22();
  const installed = await cachedPackage('@modelcontextprotocol/inspector', INSPECTOR_VERSION, 'inspector', async (dir) =>
    existsSync(inspectorLauncher(dir)),
  );
  inspector = inspectorLauncher(installed);
  // Nothing listens at the server URL, so every server the inspector starts is standalone.
  serverUrl = `http://127.0.0.1:${await freePort()}`;
  home = createTestHome();
  mkdirSync(join(home.dir, 'project'));
}, 240_000);
afterAll(() => home?.remove());

/** One inspector run: it starts `claude-worker-mcp`, sends one request, prints the answer and exits. */
function inspect(request: string[]): Promise<InspectorRun> {
  const serverEnv = {
    CLAUDE_WORKER_HOME: home.env.CLAUDE_WORKER_HOME!,
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
    CLAUDE_WORKER_SERVER_URL: serverUrl,
  };
  const args = [
    inspector,
    '--cli',
    '--format',
    'json',
    ...Object.entries(serverEnv).flatMap(([key, value]) => ['-e', `${key}=${value}`]),
    process.execPath,
    MCP_BIN,
    ...request,
  ];
  return new Promise((resolve) => {
    execFile(nodeForInspector, args, { env: { PATH: home.env.PATH!, HOME: home.dir } }, (error, stdout, stderr) => {
      const code = error ? Number(error.code) : 0;
      resolve({ code, output: stdout.trim() ? JSON.parse(stdout) : {}, stderr });
    });
  });
}

const toolArgs = (args: Record<string, string>) =>
  Object.entries(args).flatMap(([key, value]) => ['--tool-arg', `${key}=${value}`]);

describe('MCP Inspector CLI against claude-worker-mcp', () => {
  it('tools/list lists every tool', async () => {
    const run = await inspect(['--method', 'tools/list']);
    expect(run.code, run.stderr).toBe(0);
    const tools = run.output.result!.tools as { name: string }[];
    expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
  });

  it('tools/call create_task stores the task; get_task_status reads it back in a new session', async () => {
    const project = join(home.dir, 'project');
    const prompt = validPrompt('success');
    const created = await inspect([
      '--method',
      'tools/call',
      '--tool-name',
      'create_task',
      ...toolArgs({ execution_prompt: prompt, working_directory: project }),
    ]);
    expect(created.code, created.stderr).toBe(0);
    const taskId = (created.output.result!.structuredContent as { task_id: number }).task_id;
    expect(taskId).toBeGreaterThan(0);

    const status = await inspect([
      '--method',
      'tools/call',
      '--tool-name',
      'get_task_status',
      ...toolArgs({ task_id: String(taskId) }),
    ]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.output.result!.structuredContent).toMatchObject({ task_id: taskId, working_directory: project });

    const store = await openStore(join(home.env.CLAUDE_WORKER_HOME!, 'tasks.db'));
    try {
      expect(await store.get(taskId)).toMatchObject({ id: taskId, execution_prompt: prompt, working_directory: project });
    } finally {
      await store.close();
    }
  });

  it('a rejected create_task is a tool error that lists every problem', async () => {
    const run = await inspect([
      '--method',
      'tools/call',
      '--tool-name',
      'create_task',
      ...toolArgs({ execution_prompt: 'fix it', working_directory: join(home.dir, 'missing') }),
    ]);
    expect(run.code).toBe(TOOL_ERROR_EXIT);
    expect(run.output.result!.isError).toBe(true);
    const [content] = run.output.result!.content as { text: string }[];
    const { error } = JSON.parse(content!.text) as { error: { code: string; problems: { field: string; message: string }[] } };
    expect(error.code).toBe('validation_failed');
    expect(error.problems.map((problem) => problem.field)).toEqual(['execution_prompt', 'execution_prompt', 'working_directory']);
    expect(error.problems[2]!.message).toContain(join(home.dir, 'missing'));
  });
});
