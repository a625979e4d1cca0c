/**
 * Installing claude-worker the way the README's "Install" section says: the
 * tarball `npm pack` makes, installed with `npm install -g` into a throwaway
 * prefix (dependencies from the npm registry, nothing of this checkout's
 * node_modules), then its commands run from that prefix, and the Claude Code
 * plugin installed with the real Claude Code binary, its MCP server being
 * the `claude-worker-mcp` that install put on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '../../src/core/schemas.js';
import { realClaudeEnv } from '../support/agent-env.js';
import { createCliHome } from '../support/cli-harness.js';
import { startFakeAnthropicApi, WRITTEN_CONTENT } from '../support/fake-anthropic-api.js';
import { installTarball, packTarball, type InstalledPackage, type PackedTarball } from '../support/installed-package.js';
import { TOOL_NAMES } from '../support/mcp-process.js';
import { claudeCliEnv, readmeCommands, REPO_ROOT, runCommand, type ShellResult } from '../support/readme-commands.js';
import { freePort } from '../support/server-process.js';

const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  version: string;
  devDependencies: Record<string, string>;
};
const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
/** The lifecycle scripts npm runs when it installs a package (prepare: from a git or directory source). */
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** This Node first on a child's PATH: the installed commands start with `#!/usr/bin/env node`. */
const NODE_DIR = dirname(process.execPath);

let dir: string;
let tarball: PackedTarball;
let installed: InstalledPackage;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claude-worker-npm-'));
  tarball = await packTarball(dir);
  // From the cache that `npm install` of this checkout filled; better-sqlite3 from the local prebuild (see installed-package.ts).
  installed = await installTarball(tarball.path, join(dir, 'prefix'));
}, 600_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, relative to it. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)));
}

describe('the npm tarball', () => {
  it('holds the built code, README, LICENSE and the examples, and nothing else', () => {
    const built = filesUnder(join(REPO_ROOT, 'dist'))
      .filter((path) => !path.endsWith('.map'))
      .map((path) => `dist/${path}`);
    const examples = execFileSync('git', ['ls-files', 'examples'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n');
    expect(built).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/app/mcp-bin.js', 'dist/index.d.ts']));
    expect(tarball.files).toEqual(['LICENSE', 'README.md', 'package.json', ...built, ...examples].sort());
  });

  it('is the size the README states, within 15%', () => {
    const stated = /is a (\d+) kB tarball/.exec(README);
    expect(stated, 'README states "is a N kB tarball"').not.toBeNull();
    expect(Number(stated![1]) * 1000).toBeGreaterThan(tarball.size * 0.85);
    expect(Number(stated![1]) * 1000).toBeLessThan(tarball.size * 1.15);
  });
});

describe('the package installed from the tarball', () => {
  it('installs no dev dependency and has no script that runs at install', () => {
    const dependencies = readdirSync(join(installed.root, 'node_modules')).flatMap((name) =>
      name.startsWith('@') ? readdirSync(join(installed.root, 'node_modules', name)).map((sub) => `${name}/${sub}`) : [name],
    );
    expect(dependencies).toContain('better-sqlite3');
    expect(dependencies.filter((name) => name in PACKAGE.devDependencies)).toEqual([]);
    const scripts = (JSON.parse(readFileSync(join(installed.root, 'package.json'), 'utf8')) as { scripts: object }).scripts;
    expect(Object.keys(scripts).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
    // npm lists the packages whose install scripts it ran, by name@version: ours is not among them.
    expect(installed.output).not.toMatch(/claude-worker@[\d.]+ \(/);
  });

  it('claude-worker --version prints the package version', () => {
    const version = execFileSync(join(installed.bin, 'claude-worker'), ['--version'], {
      env: { PATH: NODE_DIR, HOME: dir },
      encoding: 'utf8',
    });
    expect(version.trim()).toBe(PACKAGE.version);
  });

  it('claude-worker run completes a task with the Claude Code binary the install brought', async () => {
    const api = await startFakeAnthropicApi();
    const cli = await createCliHome(
      (home) => ({
        ...realClaudeEnv(api.url, home),
        PATH: `${NODE_DIR}:/usr/bin:/bin`,
        // No executable named: the Agent SDK the install brought finds its own.
        CLAUDE_WORKER_CLAUDE_PATH: undefined,
      }),
      [join(installed.bin, 'claude-worker')],
    );
    try {
      const project = join(cli.home, 'project');
      mkdirSync(project);
      const result = await cli.run([
        'run',
        'Create the greeting file [write:greeting.txt]',
        '--dir',
        project,
        '--watch',
        '--json',
      ]);
      expect(result.code, result.stderr).toBe(0);
      expect(taskSchema.parse(JSON.parse(result.stdout))).toMatchObject({ status: 'completed', num_turns: 2 });
      expect(readFileSync(join(project, 'greeting.txt'), 'utf8')).toBe(WRITTEN_CONTENT);
    } finally {
      await cli.dispose();
      await api.close();
    }
  });

  it('claude-worker-mcp answers an MCP initialize and lists every tool', async () => {
    const home = join(dir, 'mcp-home');
    const transport = new StdioClientTransport({
      command: join(installed.bin, 'claude-worker-mcp'),
      env: {
        PATH: `${NODE_DIR}:/usr/bin:/bin`,
        HOME: home,
        CLAUDE_WORKER_HOME: join(home, 'worker'),
        // Nothing listens there: the server runs standalone.
        CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
      },
      stderr: 'ignore',
    });
    const client = new Client({ name: 'claude-worker-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'claude-worker', version: PACKAGE.version });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
    } finally {
      await client.close();
    }
  });
});

describe('the Claude Code plugin, with the package installed from the tarball', () => {
  const STEP = 'To install the Claude Code plugin from your clone';
  let env: Record<string, string>;
  let results: ShellResult[];

  beforeAll(async () => {
    env = {
      ...claudeCliEnv(join(dir, 'claude-home'), [installed.bin, NODE_DIR]),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      CLAUDE_WORKER_HOME: join(dir, 'plugin-worker'),
      // Nothing listens there: the server Claude Code starts runs standalone.
      CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
    };
    results = [];
    for (const command of readmeCommands(STEP)) results.push(await runCommand(command, env));
  }, 240_000);

  it('is the version of the package, in the plugin and in the marketplace that lists it', () => {
    const plugin = JSON.parse(readFileSync(join(REPO_ROOT, 'plugin/.claude-plugin/plugin.json'), 'utf8'));
    const marketplace = JSON.parse(readFileSync(join(REPO_ROOT, '.claude-plugin/marketplace.json'), 'utf8'));
    expect(plugin.version).toBe(PACKAGE.version);
    expect(marketplace.plugins).toEqual([expect.objectContaining({ name: plugin.name, version: PACKAGE.version })]);
  });

  it("teaches the delegate skill with the MCP server's real tool names", () => {
    const skill = readFileSync(join(REPO_ROOT, 'plugin/skills/delegate/SKILL.md'), 'utf8');
    const named = new Set([...skill.matchAll(/`([a-z]+(?:_[a-z]+)+)`/g)].map((match) => match[1]!));
    const tools = [...named].filter((name) => /_(task|tasks|orchestration|diff|logs|status)$/.test(name));
    expect(tools.filter((name) => !TOOL_NAMES.includes(name))).toEqual([]);
    expect(tools).toEqual(expect.arrayContaining(['create_task', 'wait_for_tasks', 'get_task_diff', 'merge_task']));
  });

  it('passes claude plugin validate --strict, the marketplace and the plugin', async () => {
    for (const target of ['./', './plugin']) {
      const validate = await runCommand(`claude plugin validate --strict ${target}`, env);
      expect(validate.code, validate.output).toBe(0);
      expect(validate.output).toContain('Validation passed');
    }
  });

  it("runs the README's marketplace add, plugin install and mcp list, each successfully", () => {
    const commands = readmeCommands(STEP);
    expect(commands).toEqual([
      'claude plugin marketplace add ./',
      'claude plugin install parallel-workers@parallel-workers',
      'claude mcp list',
    ]);
    results.forEach((result, i) => expect(result.code, `${commands[i]}:\n${result.output}`).toBe(0));
  });

  it('claude plugin details lists the delegate skill and the claude-worker MCP server', async () => {
    const details = await runCommand('claude plugin details parallel-workers@parallel-workers', env);
    expect(details.code, details.output).toBe(0);
    expect(details.output).toMatch(/Skills \(1\) +delegate/);
    expect(details.output).toMatch(/MCP servers \(1\) +claude-worker/);
  });

  it('claude mcp list shows the plugin server connected, and the server it started opened our database', () => {
    expect(results.at(-1)!.output).toMatch(/plugin:parallel-workers:claude-worker: claude-worker-mcp +- ✔ Connected/);
    expect(existsSync(join(env.CLAUDE_WORKER_HOME!, 'tasks.db'))).toBe(true);
  });
});
