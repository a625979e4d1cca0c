/**
 * Installing the MCP server into Claude Code the way the README says, with
 * the real Claude Code binary: `npm link` into a throwaway global prefix,
 * then the README's `claude mcp add` and `claude mcp get`, which starts the
 * server and reports whether it connected.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledClaudePath } from '../support/agent-env.js';
import { freePort } from '../support/server-process.js';
import { claudeCliEnv, readmeCommands, runCommand, type ShellResult } from '../support/readme-commands.js';

const STEP = 'Install it into Claude Code';

let dir: string;
let linkedBin: string;
let env: Record<string, string>;
let results: ShellResult[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claude-worker-install-'));
  const prefix = join(dir, 'npm-global');
  linkedBin = join(prefix, 'bin');
  env = {
    ...claudeCliEnv(join(dir, 'home'), [linkedBin]),
    // The global prefix `npm link` installs into, instead of the machine's.
    npm_config_prefix: prefix,
    // No lifecycle script of ours may run: the suite built dist/ already, and a rebuild would race the test files using it.
    npm_config_ignore_scripts: 'true',
    CLAUDE_WORKER_HOME: join(dir, 'worker'),
    // Nothing listens there: the server Claude Code starts runs standalone.
    CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
  };
  results = [];
  for (const command of readmeCommands(STEP)) results.push(await runCommand(command, env));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the README's Claude Code install", () => {
  it('runs npm link, claude mcp add and claude mcp get, each successfully', () => {
    const commands = readmeCommands(STEP);
    expect(commands).toEqual([
      'npm link',
      'claude mcp add claude-worker -s user -- claude-worker-mcp',
      'claude mcp get claude-worker',
    ]);
    results.forEach((result, i) => expect(result.code, `${commands[i]}:\n${result.output}`).toBe(0));
    const config = JSON.parse(readFileSync(join(env.CLAUDE_CONFIG_DIR!, '.claude.json'), 'utf8'));
    expect(config.mcpServers['claude-worker']).toMatchObject({ type: 'stdio', command: 'claude-worker-mcp' });
  });

  it('claude mcp get reports the server connected, and the server it started opened our database', () => {
    const get = results.at(-1)!.output;
    expect(get).toContain('Connected');
    expect(get).not.toContain('Failed to connect');
    expect(existsSync(join(env.CLAUDE_WORKER_HOME!, 'tasks.db'))).toBe(true);
  });

  it('claude mcp get reports a failure when claude-worker-mcp is not on the PATH', async () => {
    // A PATH of exactly what the command needs: the developer's own may hold a claude-worker-mcp (after npm link).
    const bin = join(dir, 'bin-without-link');
    mkdirSync(bin);
    for (const program of [bundledClaudePath(), execFileSync('sh', ['-c', 'command -v sh'], { encoding: 'utf8' }).trim()]) {
      symlinkSync(program, join(bin, basename(program)));
    }
    const get = await runCommand('claude mcp get claude-worker', { ...env, PATH: bin });
    expect(get.output).toContain('Failed to connect');
    expect(get.output).toContain('claude-worker-mcp');
  });
});
