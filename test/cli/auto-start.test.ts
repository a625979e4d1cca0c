import { isProcessRunning } from '../../src/host/identity.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

let cli: CliHome;

beforeEach(async () => {
  cli = await createCliHome();
});

afterEach(async () => {
  await cli.dispose();
});

describe('auto-start', () => {
  it('starts the local server when none answers, says so once, and server stop leaves no process', async () => {
    const project = join(cli.home, 'project');
    await mkdir(project);

    const run = await cli.run(['run', '[fake:success] Write the output file', '--dir', project, '--watch']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Task 1 completed/m);
    const pid = await cli.daemonPid();
    expect(pid).not.toBeNull();
    expect(run.stderr).toBe(`Started claude-worker server at ${cli.url} (pid ${pid}, log ~/server.log)\n`);

    // The next command finds it running: no second start, no notice.
    const list = await cli.run(['list']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toMatch(/^1\s+completed/m);

    const status = await cli.run(['server', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`is healthy at ${cli.url}`);
    expect(status.stdout).toContain(`daemon pid ${pid}`);

    const stop = await cli.run(['server', 'stop']);
    expect(stop).toMatchObject({ code: 0, stdout: `Stopped claude-worker server (pid ${pid}).\n` });
    expect(isProcessRunning(pid!)).toBe(false);

    const after = await cli.run(['server', 'status']);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain(`No claude-worker server answers at ${cli.url}`);
  });
});
