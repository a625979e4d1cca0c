/**
 * Runs `claude-worker server start --foreground` as a real child process, the
 * way a user (or a service manager) runs it, on a free port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { ClaudeWorkerClient } from '../../src/client/http-client.js';
import type { Task } from '../../src/core/task.js';
import { waitFor } from './wait.js';

export const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;
export const FAKE_CLAUDE = new URL('../fixtures/fake-claude.mjs', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/** A loopback port another listener holds until `release`. */
export async function takenPort(): Promise<{ port: number; release(): void }> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as { port: number }).port, release: () => server.close() };
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  client: ClaudeWorkerClient;
  output(): string;
  /** SIGTERM and wait for the exit code. */
  stop(): Promise<number | null>;
}

/** Resolves with task `id` once it has ended (neither pending, waiting nor running). */
export function taskEnded(server: ServerProcess, id: number): Promise<Task> {
  return waitFor(
    async () => {
      const task = await server.client.get(id);
      return ['pending', 'running', 'waiting'].includes(task.status) ? null : task;
    },
    { what: `task ${id} to end` },
  );
}

export async function startServerProcess(
  env: Record<string, string | undefined>,
  options: { workers?: number; args?: string[] } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      CLI,
      'server',
      'start',
      '--foreground',
      '--port',
      String(port),
      '--concurrency',
      String(options.workers ?? 2),
      ...(options.args ?? []),
    ],
    { env: { ...env, CLAUDE_WORKER_SERVER_URL: url }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const client = new ClaudeWorkerClient({ baseUrl: url, token: env.CLAUDE_WORKER_TOKEN ?? null });
  const exited = once(child, 'exit');
  await Promise.race([
    waitFor(() => client.health().then(() => true), { what: `server at ${url}` }),
    exited.then(() => {
      throw new Error(`server exited early:\n${output}`);
    }),
  ]);
  return {
    child,
    url,
    client,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = await exited;
      return code as number | null;
    },
  };
}
