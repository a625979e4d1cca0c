/**
 * The Claude Desktop extension: manifest.json validated by mcpb, the bundle
 * `npm run bundle` builds (once for this file), unpacked outside the
 * checkout, and its server started the way Claude Desktop starts it, from
 * the manifest's mcp_config, so it can load nothing but what the bundle holds.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOOL_NAMES } from '../support/mcp-process.js';
import { REPO_ROOT } from '../support/readme-commands.js';
import { freePort } from '../support/server-process.js';

const run = promisify(execFile);
const MCPB = join(REPO_ROOT, 'node_modules', '.bin', 'mcpb');
const PACKAGE = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };

interface Manifest {
  version: string;
  server: { entry_point: string; mcp_config: { command: string; args: string[]; env: Record<string, string> } };
  tools: { name: string; description: string }[];
  compatibility: { platforms: string[] };
  user_config: Record<string, { default?: string }>;
}

let dir: string;
let unpacked: string;
let manifest: Manifest;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'claude-worker-mcpb-test-'));
  const bundle = join(dir, 'claude-worker.mcpb');
  await run('npm', ['run', 'bundle', '--', bundle], { cwd: REPO_ROOT });
  unpacked = join(dir, 'unpacked');
  await run(MCPB, ['unpack', bundle, unpacked]);
  manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as Manifest;
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The manifest's `${...}` placeholders as Claude Desktop fills them: the
 * bundle's directory, and each user_config field at its default (empty when it has none).
 */
function filled(text: string): string {
  return text
    .replaceAll('${__dirname}', unpacked)
    .replace(/\$\{user_config\.(\w+)\}/g, (_, key: string) => manifest.user_config[key]?.default ?? '');
}

describe('the Claude Desktop extension', () => {
  it('has a manifest.json that mcpb validate accepts, in the repository and in the bundle', async () => {
    for (const path of [join(REPO_ROOT, 'manifest.json'), join(unpacked, 'manifest.json')]) {
      const { stdout } = await run(MCPB, ['validate', path]);
      expect(stdout).toContain('Manifest schema validation passes');
    }
  });

  it('is the version of the package, for the platform it was built on', () => {
    expect(manifest.version).toBe(PACKAGE.version);
    expect(manifest.compatibility.platforms).toEqual([process.platform]);
  });

  it('holds the entry point and the runtime dependencies, and no sources, tests or source maps', () => {
    const files = readdirSync(unpacked, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(unpacked, join(entry.parentPath, entry.name)));
    expect(files).toEqual(
      expect.arrayContaining([
        manifest.server.entry_point,
        'package.json',
        'LICENSE',
        'node_modules/better-sqlite3/package.json',
      ]),
    );
    expect(files.filter((path) => /^(src|test|bench)\//.test(path) || path.endsWith('.map'))).toEqual([]);
    // The Claude Code binaries stay out: the extension uses the executable the user configures.
    expect(files.filter((path) => path.startsWith('node_modules/@anthropic-ai/claude-agent-sdk-'))).toEqual([]);
  });

  it("starts as Claude Desktop starts it, answers an MCP initialize and offers the manifest's tools", async () => {
    const { command, args, env } = manifest.server.mcp_config;
    expect(command).toBe('node');
    const home = join(dir, 'home');
    mkdirSync(home);
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: args.map(filled),
      env: {
        PATH: '/usr/bin:/bin',
        HOME: home,
        CLAUDE_WORKER_HOME: join(home, 'worker'),
        ...Object.fromEntries(Object.entries(env).map(([name, value]) => [name, filled(value)])),
        // Nothing listens there: the server runs standalone, opening its database with the bundled better-sqlite3.
        CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${await freePort()}`,
      },
      cwd: home,
      stderr: 'ignore',
    });
    const client = new Client({ name: 'claude-worker-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'claude-worker', version: PACKAGE.version });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(TOOL_NAMES);
      const offered = tools.map(({ name, title }) => ({ name, description: title }));
      expect(manifest.tools).toEqual(expect.arrayContaining(offered));
      expect(manifest.tools).toHaveLength(offered.length);
      const health = await client.callTool({ name: 'check_api_health', arguments: {} });
      expect(health.structuredContent).toMatchObject({ status: 'healthy', mode: 'standalone' });
    } finally {
      await client.close();
    }
  });
});
