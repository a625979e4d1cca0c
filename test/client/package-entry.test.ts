/**
 * The package as a program that installed it loads it: by its name, through
 * the `exports` of package.json, from the built dist/ (a fresh Node process,
 * so nothing of the test runner's own module resolution helps), and as a
 * user's compiler reads its declarations.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPackageEntry, type PackageEntry } from '../support/public-types.js';
import { FAKE_CLAUDE, freePort, startServerProcess, type ServerProcess } from '../support/server-process.js';

const run = promisify(execFile);
const ROOT = new URL('../..', import.meta.url).pathname;
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** Every module of the published client, where the errors it throws are made. */
const CLIENT_SOURCE = readdirSync(join(ROOT, 'src/client'))
  .map((name) => readFileSync(join(ROOT, 'src/client', name), 'utf8'))
  .join('\n');

/** README's "Programmatic use" section. */
const PROGRAMMATIC_USE = /^## Programmatic use\n([\s\S]*?)^## /m.exec(README)?.[1] ?? '';

/** The names in backticks of the section's paragraph that starts with `label` (`isTerminal(status)` is `isTerminal`). */
function listedAfter(label: string): string[] {
  const paragraph = PROGRAMMATIC_USE.split('\n\n').find((text) => text.startsWith(label));
  if (paragraph === undefined) throw new Error(`README's "Programmatic use" has no paragraph starting "${label}"`);
  return [...paragraph.matchAll(/`(\w+)[^`]*`/g)].map((match) => match[1]!);
}

/** Runs Node with `args` in the package root, where the package can load itself by its name; returns its stdout. */
async function node(args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: ROOT });
  return stdout;
}

describe('the package entry', () => {
  let entry: PackageEntry;

  beforeAll(() => {
    entry = readPackageEntry(join(ROOT, 'dist/index.d.ts'));
  });

  it('exports every type that the client takes or returns, nested ones included', () => {
    expect(entry.unexportedTypesOf('ClaudeWorkerClient')).toEqual([]);
  });

  it('exports every error class the client throws', () => {
    const thrown = new Set([...CLIENT_SOURCE.matchAll(/new (\w+Error)\(/g)].map((match) => match[1]!));
    expect(thrown.size).toBeGreaterThan(0);
    expect(entry.classes).toEqual(expect.arrayContaining([...thrown]));
  });

  it("matches README's lists: the operations, the errors, the types and the constants", () => {
    expect(listedAfter('Operations:').sort()).toEqual(entry.methodsOf('ClaudeWorkerClient').sort());
    const errors = listedAfter('Errors:').filter((name) => name.endsWith('Error'));
    expect(errors.sort()).toEqual(entry.classes.filter((name) => name.endsWith('Error')));
    expect(listedAfter('Types:').sort()).toEqual(entry.types);
    expect(listedAfter('Constants:').sort()).toEqual(entry.values);
  });

  it('loads with import, OrchestrationNotFoundError a ClaudeWorkerError with code not_found', async () => {
    const source = `
      const entry = await import('claude-worker');
      const error = new entry.OrchestrationNotFoundError(3);
      console.log(JSON.stringify({ names: Object.keys(entry), isBase: error instanceof entry.ClaudeWorkerError, code: error.code }));`;
    const result = JSON.parse(await node(['--input-type=module', '-e', source]));
    expect(result.names.sort()).toEqual([...entry.classes, ...entry.values].sort());
    expect(result).toMatchObject({ isBase: true, code: 'not_found' });
  });

  it('loads with require() as well, on the Node versions the package supports', async () => {
    const names = await node(['-e', "console.log(Object.keys(require('claude-worker')).join(' '))"]);
    expect(names.trim().split(' ').sort()).toEqual([...entry.classes, ...entry.values].sort());
  });
});

/**
 * Reports, as JSON, what the client does against the server: each failure
 * with whether it is an instance of the class of its name that the package
 * exports, and a graph of two tasks waited for.
 */
const CLIENT_USE = `
import * as entry from 'claude-worker';

const { ClaudeWorkerClient } = entry;
const dir = process.env.WORK_DIR;
const client = new ClaudeWorkerClient({ baseUrl: process.env.SERVER_URL });

async function failure(operation) {
  try {
    await operation();
    return null;
  } catch (error) {
    const exported = entry[error.name];
    return {
      name: error.name,
      exported: typeof exported === 'function' && error instanceof exported,
      base: error instanceof entry.ClaudeWorkerError,
      code: error.code,
    };
  }
}

const first = { execution_prompt: 'one', working_directory: dir, idempotency_key: 'key-1' };
await client.submit(first);
const errors = {
  validation: await failure(() => client.submit({ execution_prompt: '', working_directory: dir })),
  task: await failure(() => client.cancel(999999)),
  orchestration: await failure(() => client.getOrchestration(999999)),
  remote: await failure(() => client.submit({ ...first, execution_prompt: 'two' })),
  unauthorized: await failure(() => new ClaudeWorkerClient({ baseUrl: process.env.SERVER_URL, token: null }).list()),
  unreachable: await failure(() => new ClaudeWorkerClient({ baseUrl: process.env.CLOSED_URL }).health()),
};

const { orchestration } = await client.submitOrchestration({
  name: 'pair',
  tasks: [
    { identifier: 'a', execution_prompt: 'a', working_directory: dir },
    { identifier: 'b', depends_on: ['a'], execution_prompt: 'b', working_directory: dir },
  ],
});
const outcome = await client.waitForTasks(orchestration.tasks.map((task) => task.id), 50);
const ended = await client.getOrchestration(orchestration.id);
console.log(JSON.stringify({ errors, outcome, status: ended.status }));
`;

describe('the client, imported by name in a project that installed the package, against a real server', () => {
  const TOKEN = 'package-entry-token';
  let home: string;
  let project: string;
  let server: ServerProcess;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'cw-package-'));
    project = join(home, 'project');
    await mkdir(join(project, 'node_modules'), { recursive: true });
    await symlink(ROOT, join(project, 'node_modules', 'claude-worker'), 'dir');
    server = await startServerProcess({
      PATH: process.env.PATH,
      HOME: home,
      CLAUDE_WORKER_HOME: home,
      CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
      CLAUDE_WORKER_TOKEN: TOKEN,
      // The example's task runs with the default permission mode, which Claude Code refuses as root outside a sandbox.
      IS_SANDBOX: '1',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await rm(home, { recursive: true, force: true });
  });

  /** Runs `source` as an ES module of the project, as its user runs it; returns its stdout. */
  async function runInProject(name: string, source: string, env: Record<string, string> = {}): Promise<string> {
    await writeFile(join(project, name), source);
    const { stdout } = await run(process.execPath, [name], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: home, CLAUDE_WORKER_TOKEN: TOKEN, ...env },
    });
    return stdout;
  }

  it("runs README's example: the task completes, its log is followed, an unknown task is a TaskNotFoundError", async () => {
    const example = /```ts\n([\s\S]*?)```/.exec(PROGRAMMATIC_USE)?.[1] ?? '';
    // The example's server and project, replaced by this test's.
    expect(example).toContain("'http://127.0.0.1:8000'");
    expect(example).toContain("'/home/me/app'");
    const source = example
      .replace("'http://127.0.0.1:8000'", JSON.stringify(server.url))
      .replace("'/home/me/app'", JSON.stringify(home));

    const lines = (await runInProject('example.mjs', source)).trim().split('\n');

    expect(lines.length).toBeGreaterThan(2);
    expect(lines.at(-2)).toMatch(/^completed /);
    expect(lines.at(-1)).toBe('not_found: Task 999999 not found.');
    expect(readFileSync(join(home, 'fake-output.txt'), 'utf8')).toContain('Write unit tests for ./src/math.ts');
  });

  it('throws the error classes the package exports, and runs and waits for a graph of tasks', async () => {
    const closed = await freePort();
    const report = JSON.parse(
      await runInProject('client-use.mjs', CLIENT_USE, {
        SERVER_URL: server.url,
        CLOSED_URL: `http://127.0.0.1:${closed}`,
        WORK_DIR: home,
      }),
    );

    const typed = (name: string, code: string) => ({ name, exported: true, base: true, code });
    expect(report.errors).toEqual({
      validation: typed('ValidationError', 'validation_failed'),
      task: typed('TaskNotFoundError', 'not_found'),
      orchestration: typed('OrchestrationNotFoundError', 'not_found'),
      remote: typed('RemoteError', 'idempotency_conflict'),
      unauthorized: typed('UnauthorizedError', 'unauthorized'),
      unreachable: typed('ServerUnreachableError', 'server_unreachable'),
    });
    expect(report.outcome).toMatchObject({ all_terminal: true, tasks: [{ status: 'completed' }, { status: 'completed' }] });
    expect(report.status).toBe('completed');
  });
});
