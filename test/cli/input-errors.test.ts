import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, freePort } from '../support/server-process.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

// Every command here fails before a server is needed: none may start one.
let cli: CliHome;

beforeEach(async () => {
  cli = await createCliHome();
});

afterEach(async () => {
  await cli.dispose();
});

function nothingCreated(): void {
  expect(existsSync(join(cli.home, 'server.json'))).toBe(false);
  expect(existsSync(join(cli.home, 'tasks.db'))).toBe(false);
}

describe('claude-worker without a server', () => {
  it('prints the package version', async () => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const result = await cli.run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('lists the commands in its help', async () => {
    const result = await cli.run(['help']);
    expect(result.code).toBe(0);
    for (const command of ['run', 'list', 'status', 'logs', 'cancel', 'server'])
      expect(result.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('exits 2 on usage errors, naming the option', async () => {
    const badTurns = await cli.run(['run', 'Do it', '--max-turns', '0']);
    expect(badTurns.code).toBe(2);
    expect(badTurns.stderr).toMatch(/--max-turns.*must be an integer from 1 to 10000/);
    const badId = await cli.run(['cancel', 'abc']);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toMatch(/task id must be a whole number ≥ 1, in decimal digits \(got "abc"\)/);
    // Past the largest safe integer an id would be read rounded, as another task.
    const hugeId = await cli.run(['status', '99999999999999999999']);
    expect(hugeId.code).toBe(2);
    expect(hugeId.stderr).toMatch(/task id must be a whole number ≥ 1, in decimal digits \(got "99999999999999999999"\)/);
    const badStatus = await cli.run(['list', '--status', 'done']);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toMatch(/Allowed choices are pending, running, completed, failed, cancelled/);
    nothingCreated();
  });

  it('rejects a working directory that does not exist, before starting anything', async () => {
    const missing = join(cli.home, 'no-such-project');
    const result = await cli.run(['run', 'Add a README', '--dir', missing]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: invalid input (1 problem)\n  working_directory: ${missing} does not exist\n`);
    expect(result.stdout).toBe('');
    nothingCreated();
  });

  it('rejects a --webhook that is not an http(s) URL, before starting anything', async () => {
    const result = await cli.run(['run', 'Add a README', '--dir', cli.home, '--webhook', 'mailto:me@example.com']);
    expect(result.stderr).toBe(
      'error: invalid input (1 problem)\n  webhook_url: webhook_url must be an absolute http(s) URL (got "mailto:me@example.com")\n',
    );
    expect(result.code).toBe(2);
    nothingCreated();
  });

  it('reports a missing prompt when there is neither an argument nor piped input, as a usage error', async () => {
    const result = await cli.run(['run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: invalid input \(1 problem\)\n {2}prompt: no prompt: give it as an argument/);
    nothingCreated();
  });

  it('reports a prompt file that does not exist', async () => {
    const result = await cli.run(['run', 'missing-task.md'], { cwd: cli.home });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`prompt: prompt file ${join(cli.home, 'missing-task.md')} does not exist`);
    nothingCreated();
  });

  it('does not hang on a stdin pipe that stays open and silent, and says it went on without it', async () => {
    // A parent that holds our stdin open without writing (as some CI runners do).
    const child = spawn(process.execPath, [CLI, 'run'], { env: cli.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'close');
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(stderr).toMatch(/^warning: stdin is open but sent nothing in 3s; going on without it/);
    expect(stderr).toMatch(/prompt: no prompt/);
    nothingCreated();
  });

  it('does not start a server for a URL that is not on this machine, and says none answers', async () => {
    const address =
      Object.values(networkInterfaces())
        .flat()
        .find((iface) => iface && iface.family === 'IPv4' && !iface.internal)?.address ?? '0.0.0.0';
    const url = `http://${address}:${await freePort()}`;
    const result = await cli.run(['list'], { env: { CLAUDE_WORKER_SERVER_URL: url } });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: No claude-worker server answers at ${url}. Start one with: claude-worker server start\n`);
    nothingCreated();
  });

  it('`worker` and `server start` refuse a SQLite file in a directory that does not exist, and create nothing', async () => {
    const missing = join(cli.home, 'no-such-dir', 'deeper');
    const db = join(missing, 'x.db');
    for (const args of [
      ['worker', '--db', db],
      ['server', 'start', '--foreground', '--db', db],
    ]) {
      const result = await cli.run(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`db: the directory of the SQLite file ${db} does not exist (--db or CLAUDE_WORKER_DB).`);
      expect(result.stderr).toContain(`mkdir -p ${missing}`);
      expect(existsSync(join(cli.home, 'no-such-dir'))).toBe(false);
    }
  });
});

describe('error text names what the user wrote', () => {
  it('places a JSON syntax error in a graph file by line and column', async () => {
    const file = join(cli.home, 'broken.json');
    await writeFile(file, '{\n  "name": "broken",\n  "tasks": [\n    { "identifier": "a" "execution_prompt": "x" }\n  ]\n}\n');
    const result = await cli.run(['orchestrate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`file: ${file} is not valid JSON: `);
    expect(result.stderr).toMatch(/ at line 4, column 25\n/);
    expect(result.stderr).not.toMatch(/position/);
    nothingCreated();
  });

  it('says a graph file does not exist in words, not ENOENT', async () => {
    const file = join(cli.home, 'missing.json');
    const result = await cli.run(['orchestrate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: invalid input (1 problem)\n  file: no such file: ${file}\n`);
    nothingCreated();
  });

  it('names an unknown field of a graph file by where it is in the file, not as a request body', async () => {
    const file = join(cli.home, 'extra.json');
    const task = { identifier: 'a', execution_prompt: 'Work', working_directory: cli.home };
    await writeFile(file, JSON.stringify({ name: 'extra', tasks: [task], extra: 1 }));
    const result = await cli.run(['orchestrate', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`  ${file} (top level): unknown field(s): extra\n`);
    expect(result.stderr).not.toMatch(/\bbody\b/);
    nothingCreated();
  });

  it('names CLAUDE_WORKER_SERVER_URL when it is not an http(s) URL', async () => {
    for (const args of [['list'], ['server', 'status']]) {
      const result = await cli.run(args, { env: { CLAUDE_WORKER_SERVER_URL: 'localhost:8000' } });
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        'error: invalid input (1 problem)\n  CLAUDE_WORKER_SERVER_URL: must be an http(s) URL such as http://127.0.0.1:8000 (got "localhost:8000")\n',
      );
    }
    nothingCreated();
  });
});
