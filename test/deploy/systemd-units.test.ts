import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, startServerProcess } from '../support/server-process.js';

const run = promisify(execFile);
const DEPLOY = new URL('../../examples/deploy/', import.meta.url).pathname;
const UNITS = ['claude-worker.service', 'claude-worker-worker.service'];
const INSTALLED_CLI = '/usr/local/bin/claude-worker';

/** The words after the executable in the unit's ExecStart line. */
function execStartArgs(unit: string): string[] {
  const line = unit.split('\n').find((l) => l.startsWith('ExecStart='))!;
  const [executable, ...args] = line.slice('ExecStart='.length).split(' ');
  expect(executable).toBe(INSTALLED_CLI);
  return args;
}

describe('the systemd units in examples/deploy', () => {
  const dir = mkdtempSync(join(tmpdir(), 'claude-worker-units-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(UNITS)('%s passes systemd-analyze verify without a warning', async (name) => {
    // verify insists that the executable exists: point it at this build.
    const unit = readFileSync(join(DEPLOY, name), 'utf8').replace(INSTALLED_CLI, CLI);
    const path = join(dir, name);
    writeFileSync(path, unit);
    const { stderr } = await run('systemd-analyze', ['verify', '--man=no', path]);
    expect(stderr).toBe('');
  });

  // systemd sends SIGTERM to the main process only (KillMode=mixed), as stop() does.
  it("runs the server unit's command line until SIGTERM, then exits 0", async () => {
    const args = execStartArgs(readFileSync(join(DEPLOY, 'claude-worker.service'), 'utf8'));
    expect(args).toEqual(['server', 'start', '--foreground']);
    const home = mkdtempSync(join(dir, 'home-'));
    const server = await startServerProcess({ PATH: process.env.PATH, CLAUDE_WORKER_HOME: home });
    try {
      expect((await server.client.health()).status).toBe('healthy');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('names a worker command line the CLI accepts', async () => {
    const args = execStartArgs(readFileSync(join(DEPLOY, 'claude-worker-worker.service'), 'utf8'));
    const { stdout } = await run(process.execPath, [CLI, ...args, '--help']);
    expect(stdout).toContain('Usage: claude-worker worker');
  });
});
