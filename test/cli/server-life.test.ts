/**
 * The server's life on one home, through the CLI as a user runs it: one
 * server per home (one pid file), where it listens, and what a taken port says.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessRunning } from '../../src/host/identity.js';
import { freePort, takenPort } from '../support/server-process.js';
import { waitFor } from '../support/wait.js';
import { createCliHome, type CliHome } from '../support/cli-harness.js';

let cli: CliHome | null = null;

afterEach(async () => {
  await cli?.dispose();
  cli = null;
});

describe('one server per home', () => {
  it('a foreground server refuses to start while the daemon runs, and leaves the daemon its pid file', async () => {
    cli = await createCliHome();
    expect((await cli.run(['server', 'start'])).code).toBe(0);
    const daemonPid = (await cli.daemonPid())!;

    const second = await cli.run(['server', 'start', '--foreground', '--port', String(await freePort())]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`already running at ${cli.url} (pid ${daemonPid})`);
    expect(second.stderr).toContain('claude-worker server stop');
    expect(await cli.daemonPid()).toBe(daemonPid);

    const stop = await cli.run(['server', 'stop']);
    expect(stop.stdout).toBe(`Stopped claude-worker server (pid ${daemonPid}).\n`);
    expect(isProcessRunning(daemonPid)).toBe(false);
  });

  it('a foreground server holds the pid file: the daemon refuses to start beside it, and it removes only its own file', async () => {
    cli = await createCliHome();
    const foreground = cli.start(['server', 'start', '--foreground']);
    const pid = await waitFor(() => cli!.daemonPid(), { what: 'the foreground server to record itself' });
    expect(pid).toBe(foreground.child.pid);

    const daemon = await cli.run(['server', 'start', '--port', String(await freePort())]);
    expect(daemon.code).toBe(2);
    expect(daemon.stderr).toContain(`already running at ${cli.url} (pid ${pid})`);

    foreground.child.kill('SIGINT');
    expect((await foreground.result).code).toBe(0);
    expect(await cli.daemonPid()).toBeNull();
  });
});

describe('where the server listens', () => {
  it('server start --host [::1] binds the IPv6 loopback without a token, and answers a Host header of [::1]:port', async () => {
    const port = await freePort();
    cli = await createCliHome(() => ({ CLAUDE_WORKER_SERVER_URL: `http://[::1]:${port}` }));
    const started = await cli.run(['server', 'start', '--host', '[::1]', '--port', String(port)]);
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`running at http://[::1]:${port} `);
    expect(started.stderr).toBe(''); // the URL's own server: no note to set CLAUDE_WORKER_SERVER_URL

    const health = await fetch(`http://[::1]:${port}/health`);
    expect(health.status).toBe(200);
    const status = await cli.run(['server', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(`is healthy at http://[::1]:${port}`);
  });

  it('a taken port is named as such, with what to do', async () => {
    const { port, release } = await takenPort();
    try {
      cli = await createCliHome(() => ({ CLAUDE_WORKER_SERVER_URL: `http://127.0.0.1:${port}` }));
      const result = await cli.run(['server', 'start', '--foreground']);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
      expect(result.stderr).toContain('--port');
      expect(result.stderr).toContain('claude-worker server status');
    } finally {
      release();
    }
  });
});
