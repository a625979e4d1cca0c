import { isProcessRunning } from '../../src/host/identity.js';
/**
 * Runs the built `claude-worker` command as a user does: a real process, a
 * temp home (HOME too, so nothing under the real home is touched), its own
 * free port in CLAUDE_WORKER_SERVER_URL, and the fake Claude Code executable.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CLI, FAKE_CLAUDE, freePort } from './server-process.js';
import { waitFor } from './wait.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliRunOptions {
  /** Text piped on stdin; without it stdin is /dev/null (no input, as in CI). */
  stdin?: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface CliHome {
  home: string;
  url: string;
  env: Record<string, string | undefined>;
  run(args: string[], options?: CliRunOptions): Promise<CliResult>;
  /** Starts the command and returns at once; stdout is read line by line. */
  start(args: string[], options?: CliRunOptions): RunningCli;
  /** The pid in the daemon's pid file, or null when there is none. */
  daemonPid(): Promise<number | null>;
  /** Stops the daemon (and kills it by pid if it did not go), then removes the home. */
  dispose(): Promise<void>;
}

/**
 * `extraEnv` adds to (or, with undefined, removes from) the environment, given the temp home.
 * `command` is the program and leading arguments that run the CLI: this checkout's build by default,
 * or an installed `claude-worker` executable.
 */
export async function createCliHome(
  extraEnv: (home: string) => Record<string, string | undefined> = () => ({}),
  command: string[] = [process.execPath, CLI],
): Promise<CliHome> {
  const home = await mkdtemp(join(tmpdir(), 'cw-cli-'));
  const url = `http://127.0.0.1:${await freePort()}`;
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    HOME: home,
    CLAUDE_WORKER_HOME: home,
    CLAUDE_WORKER_SERVER_URL: url,
    CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE,
    CLAUDE_WORKER_PERMISSION_MODE: 'acceptEdits',
    NO_COLOR: '1',
    ...extraEnv(home),
  };
  // In the home unless a test says otherwise: a command run where the test
  // runner stands would submit tasks in this very repository (and give them
  // worktrees and branches of it).
  const start = (args: string[], options: CliRunOptions = {}) =>
    startCli([...command, ...args], { cwd: home, ...options, env: { ...env, ...options.env } });
  const daemonPid = async () => {
    try {
      const { pid } = JSON.parse(await readFile(join(home, 'server.json'), 'utf8')) as { pid?: unknown };
      return typeof pid === 'number' ? pid : null;
    } catch {
      return null;
    }
  };
  return {
    home,
    url,
    env,
    start,
    run: (args, options) => start(args, options).result,
    daemonPid,
    async dispose() {
      const pid = await daemonPid();
      await start(['server', 'stop']).result;
      if (pid !== null && isProcessRunning(pid)) {
        process.kill(pid, 'SIGKILL');
        await waitFor(() => !isProcessRunning(pid), { what: `daemon ${pid} to die` });
      }
      await rm(home, { recursive: true, force: true });
    },
  };
}

export interface DaemonHome extends CliHome {
  /** An empty directory in the home, for tasks to work in. */
  project: string;
}

/** A home with its daemon started by `server start --workers N`. */
export async function createDaemonHome(workers: number): Promise<DaemonHome> {
  const cli = await createCliHome();
  const project = join(cli.home, 'project');
  await mkdir(project);
  const started = await cli.run(['server', 'start', '--concurrency', String(workers)]);
  if (started.code !== 0) {
    await cli.dispose();
    throw new Error(`server start exited ${started.code}:\n${started.stderr}`);
  }
  return { ...cli, project };
}

export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`; rejects if the process ends first. */
  line(pattern: RegExp): Promise<RegExpExecArray>;
  result: Promise<CliResult>;
}

function startCli([program, ...args]: string[], options: CliRunOptions): RunningCli {
  const child = spawn(program!, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  if (options.stdin !== undefined) child.stdin!.end(options.stdin);
  let stdout = '';
  let stderr = '';
  let closed = false;
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  const wakeAll = () => {
    for (const wake of waiters) wake();
  };
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    stdout += `${line}\n`;
    lines.push(line);
    wakeAll();
  });
  const result = once(child, 'close').then(([code]) => {
    closed = true;
    wakeAll();
    return { code: code as number | null, stdout, stderr };
  });
  return {
    child,
    result,
    async line(pattern) {
      for (;;) {
        for (const line of lines) {
          const match = pattern.exec(line);
          if (match) return match;
        }
        if (closed) throw new Error(`exited before printing ${pattern}:\n${stdout}${stderr}`);
        await new Promise<void>((resolve) => waiters.add(resolve)).finally(() => waiters.clear());
      }
    },
  };
}
