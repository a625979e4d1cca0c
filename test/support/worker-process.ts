/**
 * Runs `claude-worker worker` as a real child process, the way a node of a
 * cluster runs it, with the fake Claude Code executable, and reads what the
 * fake's runs recorded (FAKE_CLAUDE_RUN_LOG).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { CLI, FAKE_CLAUDE } from './server-process.js';
import { waitFor } from './wait.js';

/**
 * Lease timings for tests of lost nodes: a 4 s lease renewed every 0.5 s, and
 * a reaper every 0.5 s, so a dead node's task is free again within seconds.
 */
export const SHORT_LEASES = {
  CLAUDE_WORKER_LEASE_MS: '4000',
  CLAUDE_WORKER_HEARTBEAT_MS: '500',
  CLAUDE_WORKER_REAP_INTERVAL_MS: '500',
};

/** The environment of a node's process: a temp home, and the fake Claude Code executable. */
export function nodeEnv(home: string, extra: Record<string, string> = {}): Record<string, string | undefined> {
  return { PATH: process.env.PATH, HOME: home, CLAUDE_WORKER_HOME: home, CLAUDE_WORKER_CLAUDE_PATH: FAKE_CLAUDE, ...extra };
}

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  output(): string;
  /** Sends `signal` (default SIGTERM) and waits for the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code (or null after a signal) whenever it exits. */
  exited: Promise<number | null>;
}

export interface WorkerProcessOptions {
  db: string;
  name: string;
  env: Record<string, string | undefined>;
  workers?: number;
  labels?: string;
  args?: string[];
}

/** Starts a worker and resolves once it has registered and claims tasks. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const args = [CLI, 'worker', '--db', options.db, '--name', options.name, '--concurrency', String(options.workers ?? 4)];
  if (options.labels) args.push('--labels', options.labels);
  const child = spawn(process.execPath, [...args, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  await Promise.race([
    waitFor(() => output.includes(`${options.name} running`), { what: `worker ${options.name} to start` }),
    exited.then((code) => {
      throw new Error(`worker ${options.name} exited early (${code}):\n${output}`);
    }),
  ]);
  return {
    name: options.name,
    child,
    output: () => output,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface FakeRun {
  event: 'start' | 'write' | 'end';
  prompt: string;
  pid: number;
  /** Epoch ms. */
  at: number;
  signal?: string;
}

/** Every line the fake's runs appended to `path` (none yet: empty). */
export async function readRunLog(path: string): Promise<FakeRun[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FakeRun);
}
