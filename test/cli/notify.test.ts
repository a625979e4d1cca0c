/**
 * `--notify` on `run --watch` and `wait`: the notifier found on PATH is run
 * with the outcome, and without one the command says so in a line and goes
 * on. The PATH is the test's own: a directory holding stand-in notifiers
 * that record their arguments, so the developer's desktop is never touched.
 */
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '../../src/core/schemas.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';

let cli: DaemonHome;
let record: string;

/** A directory with a stand-in `name` that writes its arguments, one per line, to `record`. */
async function binWith(name: string | null): Promise<string> {
  const bin = join(cli.home, `bin-${name ?? 'empty'}`);
  await mkdir(bin, { recursive: true });
  if (name !== null) {
    const script = join(bin, name);
    await writeFile(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}"\n`);
    await chmod(script, 0o755);
  }
  return bin;
}

beforeAll(async () => {
  cli = await createDaemonHome(2);
  record = join(cli.home, 'notified.txt');
});
afterAll(() => cli?.dispose());

async function submit(prompt: string): Promise<number> {
  const result = await cli.run(['run', prompt, '--dir', cli.project, '--isolation', 'none', '--json']);
  return taskSchema.parse(JSON.parse(result.stdout)).id;
}

describe('--notify', () => {
  it('on run --watch: notify-send shows the task and its outcome', async () => {
    const result = await cli.run(
      ['run', '[fake:success] Write the file', '--dir', cli.project, '--isolation', 'none', '--watch', '--notify'],
      // `run` looks at the directory with git before it submits; the stand-in comes first all the same.
      { env: { PATH: `${await binWith('notify-send')}:/usr/bin:/bin` } },
    );
    expect(result.code, result.stderr).toBe(0);
    const id = /Task (\d+) completed/.exec(result.stdout)![1];
    const [appName, title] = (await readFile(record, 'utf8')).split('\n');
    expect(appName).toBe('--app-name=claude-worker');
    expect(title).toBe(`Task ${id} completed`);
  });

  it('on wait: one notification for all the tasks, by status, through osascript where there is no notify-send', async () => {
    const completed = await submit('[fake:success] Write the file');
    const failed = await submit('[fake:error] Break');
    const result = await cli.run(['wait', String(completed), String(failed), '--notify'], {
      env: { PATH: await binWith('osascript') },
    });
    expect(result.code).toBe(1);
    const [flag, script] = (await readFile(record, 'utf8')).split('\n');
    expect(flag).toBe('-e');
    expect(script).toBe('display notification "1 completed, 1 failed" with title "2 tasks ended"');
  });

  it('without a notifier on PATH: a one-line note, and the outcome decides the exit code as always', async () => {
    const id = await submit('[fake:success] Write the file');
    const result = await cli.run(['wait', String(id), '--notify'], { env: { PATH: await binWith(null) } });
    expect(result.code).toBe(0);
    expect(result.stderr.trim().split('\n')).toEqual([
      'note: --notify found neither notify-send nor osascript on PATH; no desktop notification was shown',
    ]);
  });
});
