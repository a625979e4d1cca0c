import { isProcessRunning } from '../../src/host/identity.js';
/**
 * The daemon as the CLI runs it: the built CLI entry started detached in a
 * temp home (so these tests need `npm run build`, which `npm test` does first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/core/config.js';
// Errors from the built modules are the built classes.
import { ValidationError } from '../../dist/core/errors.js';
import { DaemonStartError, daemonStatus, startDaemon, stopDaemon } from '../../dist/app/daemon.js';
import { ServerAlreadyRunningError, pidFilePath } from '../../dist/app/pid-file.js';
import { freePort, takenPort } from '../support/server-process.js';

let home: string;
let config: Config;
const realHome = process.env.HOME;

beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'cw-daemon-'));
  config = loadConfig({ CLAUDE_WORKER_HOME: home });
  // The daemon inherits this process's environment: keep it away from the real ~/.claude.
  process.env.HOME = home;
});

afterEach(async () => {
  await stopDaemon(config);
  process.env.HOME = realHome;
  await rm(home, { recursive: true, force: true });
});

describe('the daemon', () => {
  it('starts once ready, refuses a second start, and stops without leaving a process or pid file', async () => {
    const port = await freePort();
    const started = await startDaemon(config, { host: '127.0.0.1', port, concurrency: 3 });
    const { warnings: _warnings, ...info } = started;
    expect(info).toEqual({ pid: expect.any(Number), url: `http://127.0.0.1:${port}`, logFile: join(home, 'server.log') });
    const health = await (await fetch(`${started.url}/health`)).json();
    expect(health).toMatchObject({ status: 'healthy', max_concurrency: 3 });
    expect(JSON.parse(await readFile(pidFilePath(home), 'utf8'))).toMatchObject({ pid: started.pid, url: started.url, port });
    expect(await daemonStatus(config)).toEqual(info);

    const second = await startDaemon(config, { host: '127.0.0.1', port: await freePort() }).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(ServerAlreadyRunningError);
    expect((second as Error).message).toContain(started.url);

    expect(await stopDaemon(config)).toEqual(info);
    expect(isProcessRunning(started.pid)).toBe(false);
    expect(existsSync(pidFilePath(home))).toBe(false);
    expect(await readFile(started.logFile, 'utf8')).toMatch(/listening on .*\n(.|\n)*stopped\n$/);
    expect(await stopDaemon(config)).toBeNull();
    expect(await daemonStatus(config)).toBeNull();
  });

  it('reports a daemon that exits at start with the end of its log', async () => {
    const { port, release } = await takenPort();
    try {
      const error = await startDaemon(config, { host: '127.0.0.1', port }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DaemonStartError);
      expect((error as Error).message).toMatch(/exited with code 2(.|\n)*EADDRINUSE/);
      expect((error as Error).message).toMatch(/\nRun `claude-worker doctor` to check this machine's setup\.$/);
      expect(existsSync(pidFilePath(home))).toBe(false);
    } finally {
      release();
    }
  });

  it('refuses a non-loopback address without a token before starting anything', async () => {
    const error = await startDaemon(config, { host: '0.0.0.0', port: await freePort() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues[0]!.field).toBe('CLAUDE_WORKER_TOKEN');
    expect(existsSync(join(home, 'server.log'))).toBe(false);
  });

  it('ignores and removes a pid file whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid;
    await writeFile(
      pidFilePath(home),
      JSON.stringify({ pid: gone, proc_start_time: null, url: 'http://127.0.0.1:1', host: '127.0.0.1', port: 1, started_at: '' }),
    );
    expect(await daemonStatus(config)).toBeNull();
    expect(existsSync(pidFilePath(home))).toBe(false);
  });
});
