/**
 * How `logs -f` and `wait` end, as a user runs them: exit codes and wording
 * the README promises. The built CLI, a one-worker daemon, the fake Claude Code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { taskSchema } from '../../src/core/schemas.js';
import { createDaemonHome, type DaemonHome } from '../support/cli-harness.js';
import { waitFor } from '../support/wait.js';

let cli: DaemonHome;
beforeAll(async () => (cli = await createDaemonHome(1)));
afterAll(() => cli?.dispose());

/** Resolves once `check` holds of the output of `claude-worker ARGS`. */
function untilOutput(args: string[], check: (stdout: string) => boolean, what: string): Promise<string> {
  return waitFor(
    async () => {
      const { stdout } = await cli.run(args);
      return check(stdout) ? stdout : null;
    },
    { what },
  );
}

async function submit(prompt: string, watch = false): Promise<number> {
  const result = await cli.run(['run', prompt, '--dir', cli.project, '--json', ...(watch ? ['--watch'] : [])]);
  expect(result.stdout, result.stderr).not.toBe('');
  return taskSchema.parse(JSON.parse(result.stdout)).id;
}

describe('logs -f', () => {
  it('with --tail N prints the last N lines of an ended task, then ends', async () => {
    const id = await submit('[fake:success] Write the file', true);
    const whole = (await cli.run(['logs', String(id)])).stdout.trimEnd().split('\n');
    expect(whole.length).toBeGreaterThan(2);
    const tail = await cli.run(['logs', String(id), '-f', '--tail', '2']);
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout).toBe(`${whole.slice(-2).join('\n')}\n`);
  });

  it('interrupted with Ctrl-C exits 130 like the other followers, and --tail starts it at the last lines', async () => {
    const id = await submit('[fake:hang] Think for ever');
    // The agent has written all it will write: whatever --tail prints is all the follower ever prints.
    await untilOutput(['logs', String(id)], (log) => /Thinking for ever/.test(log), 'the agent to be thinking');
    const following = cli.start(['logs', String(id), '-f', '--tail', '1']);
    await following.line(/Thinking for ever/);
    following.child.kill('SIGINT');
    const result = await following.result;
    expect(result.code).toBe(130);
    expect(result.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect((await cli.run(['cancel', String(id)])).code).toBe(0);
  });
});

describe('wait --timeout', () => {
  it('names each task that has not ended by its real status', async () => {
    // One worker: the first task runs, the second stays pending behind it.
    const running = await submit('[fake:hang] Hold the worker');
    await untilOutput(
      ['status', String(running), '--json'],
      (json) => JSON.parse(json).status === 'running',
      'the first task to run',
    );
    const pending = await submit('[fake:hang] Wait behind it');
    const result = await cli.run(['wait', String(running), String(pending), '--timeout', '1']);
    expect(result.code).toBe(124);
    expect(result.stderr).toContain(`still running: ${running}`);
    expect(result.stderr).toContain(`still pending: ${pending}`);
    expect((await cli.run(['cancel', String(running), String(pending)])).code).toBe(0);
  });
});
