/**
 * The background server keeps the environment it started with. The CLI says
 * so when that environment makes tasks fail, and `server restart` starts it
 * again with the same options in the shell's current environment.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Health } from '../../src/core/schemas.js';
import type { WorkerList } from '../../src/core/worker.js';
import { isProcessRunning } from '../../src/host/identity.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

let cli: CliHome | null = null;

afterEach(async () => {
  await cli?.dispose();
  cli = null;
});

it('as root without IS_SANDBOX the first run says what is wrong before the task fails, and server restart with IS_SANDBOX=1 makes the next task complete', async () => {
  expect(process.getuid?.()).toBe(0); // this suite runs as root, like the CI machine
  // The quick start's environment: the default permission mode (bypassPermissions), no IS_SANDBOX.
  cli = await createCliHome(() => ({ CLAUDE_WORKER_PERMISSION_MODE: undefined, IS_SANDBOX: undefined }));
  const project = join(cli.home, 'project');
  await mkdir(project);

  const first = await cli.run(['run', '[fake:success] Write the output file', '--dir', project]);
  expect(first.code, first.stderr).toBe(0);
  const pid = (await cli.daemonPid())!;
  const [started, warning, ...advice] = first.stderr.trimEnd().split('\n');
  expect(started).toBe(`Started claude-worker server at ${cli.url} (pid ${pid}, log ~/server.log)`);
  expect(warning).toMatch(/^warning: .*refuses permission mode bypassPermissions when it runs as root.*IS_SANDBOX=1/);
  expect(advice.join('\n')).toContain(`restart the server (pid ${pid}): claude-worker server restart`);
  expect(first.stdout).toMatch(/^Task 1 submitted/);

  const status = JSON.parse((await cli.run(['server', 'status', '--json'])).stdout) as { health: Health };
  expect(status.health.warnings).toEqual([{ code: 'root_bypass_refused', message: expect.stringContaining('IS_SANDBOX=1') }]);

  // Fixing the shell does not fix the server that is already running: the next run says so twice.
  const fixed = { env: { IS_SANDBOX: '1' } };
  const second = await cli.run(['run', '[fake:success] Write it again', '--dir', project, '--watch'], fixed);
  expect(second.code).toBe(1);
  expect(second.stdout).toMatch(/^Task 2 failed/m);
  const [submitWarning, ...failureAdvice] = second.stderr.trimEnd().split('\n');
  expect(submitWarning).toMatch(/^warning: task 2 will fail: .*bypassPermissions/);
  expect(failureAdvice.join('\n')).toContain(`restart the server (pid ${pid}): claude-worker server restart`);

  const detail = await cli.run(['status', '1'], fixed);
  expect(detail.stdout).toContain('root_bypass_refused');
  expect(detail.stderr).toContain(`restart the server (pid ${pid}): claude-worker server restart`);

  const restart = await cli.run(['server', 'restart'], fixed);
  expect(restart.code, restart.stderr).toBe(0);
  const newPid = (await cli.daemonPid())!;
  expect(newPid).not.toBe(pid);
  expect(isProcessRunning(pid)).toBe(false);
  expect(restart.stdout).toBe(
    `Stopped claude-worker server (pid ${pid}).\nclaude-worker server running at ${cli.url} (pid ${newPid}, log ~/server.log)\n`,
  );
  expect(restart.stderr).toBe('');

  const third = await cli.run(['run', '[fake:success] Write it once more', '--dir', project, '--watch'], fixed);
  expect(third.code, third.stderr).toBe(0);
  expect(third.stdout).toMatch(/^Task 3 completed/m);
  expect(third.stderr).toBe('');
});

it('server restart keeps the options the server was started with and takes the rest from the current environment', async () => {
  cli = await createCliHome();
  const start = await cli.run(['server', 'start', '--name', 'front-1', '--labels', 'gpu=true', '--concurrency', '2']);
  expect(start.code, start.stderr).toBe(0);

  const restart = await cli.run(['server', 'restart'], { env: { CLAUDE_WORKER_PERMISSION_MODE: 'plan' } });
  expect(restart.code, restart.stderr).toBe(0);

  const list = JSON.parse((await cli.run(['workers', '--json'])).stdout) as WorkerList;
  const active = list.workers.filter((worker) => worker.state === 'active');
  expect(active).toEqual([expect.objectContaining({ name: 'front-1', labels: { gpu: 'true' }, capacity: 2 })]);
  const task = JSON.parse((await cli.run(['run', '[fake:hang] x', '--dir', cli.home, '--json'])).stdout) as {
    permission_mode: string;
  };
  expect(task.permission_mode).toBe('plan');
});

it('server restart with no server running says so and starts one', async () => {
  cli = await createCliHome();
  const restart = await cli.run(['server', 'restart']);
  expect(restart.code, restart.stderr).toBe(0);
  const pid = await cli.daemonPid();
  expect(restart.stdout).toBe(
    `No claude-worker server was running.\nclaude-worker server running at ${cli.url} (pid ${pid}, log ~/server.log)\n`,
  );
});
