/**
 * `claude-worker completion`: the scripts load in their shells, and the bash
 * one completes commands, flags, flag values and the task ids of a real server.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';
import { CLI } from '../support/server-process.js';

const run = promisify(execFile);

let cli: DaemonHome;
let scripts: Record<'bash' | 'zsh' | 'fish', string>;
/** A directory with a `claude-worker` that runs the built CLI, for the scripts to call back. */
let bin: string;

beforeAll(async () => {
  cli = await createDaemonHome(1);
  bin = join(cli.home, 'bin');
  await mkdir(bin);
  await writeFile(join(bin, 'claude-worker'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
  await chmod(join(bin, 'claude-worker'), 0o755);
  const print = async (shell: string) => {
    const result = await cli.run(['completion', shell]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };
  scripts = { bash: await print('bash'), zsh: await print('zsh'), fish: await print('fish') };
  for (const [shell, text] of Object.entries(scripts)) await writeFile(join(cli.home, `completion.${shell}`), text);
});

afterAll(async () => {
  await cli?.dispose();
});

/** What the bash script offers for the words typed so far (the last one being completed). */
async function bashComplete(...typed: string[]): Promise<string[]> {
  const words = ['claude-worker', ...typed].map((word) => `'${word}'`).join(' ');
  const { stdout } = await run(
    'bash',
    [
      '-c',
      `source "$1"; COMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _claude_worker; printf '%s\\n' "\${COMPREPLY[@]}"`,
      'bash',
      join(cli.home, 'completion.bash'),
    ],
    { env: { ...cli.env, PATH: `${bin}${delimiter}${process.env.PATH}` } },
  );
  return stdout.split('\n').filter((line) => line !== '');
}

describe('bash', () => {
  it('is valid bash and registers itself for claude-worker', async () => {
    await run('bash', ['-n', join(cli.home, 'completion.bash')]);
    const { stdout } = await run('bash', [
      '-c',
      'source "$1" && complete -p claude-worker',
      'bash',
      join(cli.home, 'completion.bash'),
    ]);
    expect(stdout.trim()).toBe('complete -F _claude_worker claude-worker');
  });

  it('completes commands and subcommands', async () => {
    expect(await bashComplete('ser')).toEqual(['server']);
    expect(await bashComplete('server', 'st')).toEqual(['start', 'stop', 'status']);
    expect(await bashComplete('doc')).toEqual(['doctor']);
  });

  it("completes a command's flags, and the choices of a flag's value", async () => {
    expect(await bashComplete('server', 'start', '--d')).toEqual(['--db', '--drain-timeout']);
    expect(await bashComplete('run', '--permission-mode', 'a')).toEqual(['acceptEdits']);
    expect(await bashComplete('list', '--status', 'c')).toEqual(['completed', 'cancelled']);
    // A flag's value is not taken for a command: after it come run's flags again.
    expect(await bashComplete('run', '--model', 'sonnet', '--jso')).toEqual(['--json']);
    expect(await bashComplete('completion', '')).toEqual(['bash', 'zsh', 'fish']);
  });

  it('completes task ids from the server', async () => {
    const first = await cli.run(['run', 'First task', '--dir', cli.project, '--json']);
    const second = await cli.run(['run', 'Second task', '--dir', cli.project, '--json']);
    const ids = [first, second].map((result) => String((JSON.parse(result.stdout) as { id: number }).id));
    expect((await bashComplete('logs', '')).sort()).toEqual([...ids].sort());
    expect(await bashComplete('cancel', ids[0]!, ids[1]!.slice(0, -1))).toContain(ids[1]);
  });

  it('completes orchestration ids where an orchestration is asked for', async () => {
    const file = join(cli.home, 'graph.json');
    await writeFile(
      file,
      JSON.stringify({
        name: 'completion graph',
        tasks: [{ identifier: 'only', execution_prompt: 'Write a file', working_directory: cli.project }],
      }),
    );
    const submitted = await cli.run(['orchestrate', file, '--json']);
    expect(submitted.code, submitted.stderr).toBe(0);
    const id = String((JSON.parse(submitted.stdout) as { id: number }).id);
    expect(await bashComplete('merge', '--orchestration', '')).toEqual([id]);
    expect(await bashComplete('orchestration-status', '')).toEqual([id]);
  });
});

describe('the id helper', () => {
  it('lists ids with a description, newest first', async () => {
    const result = await cli.run(['__complete', 'task-ids']);
    expect(result.code).toBe(0);
    // The two tasks of the test above, the oldest last; every line an id, a tab and a description.
    expect(result.stdout).toMatch(/\d+\t\w+: Second task\n\d+\t\w+: First task\n$/);
    for (const line of result.stdout.trimEnd().split('\n')) expect(line).toMatch(/^\d+\t\w+: \S/);
  });

  it('prints nothing, and starts no server, when none answers', async () => {
    const result = await cli.run(['__complete', 'task-ids'], {
      env: { CLAUDE_WORKER_HOME: join(cli.home, 'elsewhere'), CLAUDE_WORKER_SERVER_URL: 'http://127.0.0.1:9' },
    });
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(existsSync(join(cli.home, 'elsewhere', 'server.json'))).toBe(false);
  });

  it('is not listed in the help', async () => {
    expect((await cli.run(['--help'])).stdout).not.toContain('__complete');
  });
});

describe('zsh and fish', () => {
  it('produce scripts for every command, which their shells accept when installed', async () => {
    expect(scripts.zsh).toMatch(/^#compdef claude-worker\n/);
    expect(scripts.zsh).toContain("'server start') subs=''; flags='--host --port");
    expect(scripts.fish).toContain(`complete -c claude-worker -n "__claude_worker_at 'server'" -a 'start'`);
    for (const shell of ['zsh', 'fish'] as const) {
      const installed = await run(shell, ['--version']).then(
        () => true,
        () => false,
      );
      if (installed) await run(shell, ['-n', join(cli.home, `completion.${shell}`)]);
    }
  });
});
