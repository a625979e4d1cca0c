/**
 * The background server: started detached with its output in `<home>/server.log`,
 * declared ready only once its /health answers (never after a fixed sleep),
 * stopped with SIGTERM so it releases its running tasks.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/config.js';
import { ForbiddenError, ServerUnreachableError } from '../core/errors.js';
import { ClaudeWorkerClient } from '../service/http-client.js';
import { readLivePidFile } from './pid-file.js';
import type { ListenOptions } from './serve.js';

const CLI_ENTRY = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export interface DaemonInfo {
  pid: number;
  url: string;
  logFile: string;
}

export function daemonLogFile(config: Config): string {
  return join(config.home, 'server.log');
}

/** Starts the daemon on `listen` (workers default to the configured number). */
export async function startDaemon(
  config: Config,
  listen: Omit<ListenOptions, 'workers'> & { workers?: number },
): Promise<DaemonInfo> {
  const running = readLivePidFile(config.home);
  if (running) {
    throw new ForbiddenError(
      `A claude-worker server is already running at ${running.url} (pid ${running.pid}). Stop it first with: claude-worker server stop`,
    );
  }
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  const logFile = daemonLogFile(config);
  const out = openSync(logFile, 'a', 0o600);
  const child = spawn(
    process.execPath,
    [CLI_ENTRY, 'server', 'start', '--foreground', '--host', listen.host, '--port', String(listen.port), '--workers', String(listen.workers ?? config.maxWorkers)],
    { detached: true, stdio: ['ignore', out, out], env: process.env },
  );
  closeSync(out);
  child.unref();
  const hostForUrl = listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  const url = `http://${hostForUrl}:${listen.port}`;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));

  const client = new ClaudeWorkerClient({ baseUrl: url, token: config.token });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      await client.health();
      return { pid: child.pid!, url, logFile };
    } catch (error) {
      if (!(error instanceof ServerUnreachableError)) throw error;
    }
    if (exited !== null || Date.now() > deadline) {
      const why = exited !== null ? `exited with code ${exited}` : `did not answer within ${READY_TIMEOUT_MS / 1000} s`;
      throw new Error(`The claude-worker server ${why}. Its log (${logFile}) ends with:\n${logTail(logFile)}`);
    }
    await delay(POLL_MS);
  }
}

/** Stops the recorded daemon; null when none was running. */
export async function stopDaemon(config: Config): Promise<DaemonInfo | null> {
  const running = readLivePidFile(config.home);
  if (!running) return null;
  process.kill(running.pid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (readLivePidFile(config.home) && Date.now() < deadline) await delay(POLL_MS);
  if (readLivePidFile(config.home)) process.kill(running.pid, 'SIGKILL');
  while (isAlive(running.pid)) await delay(POLL_MS);
  return { pid: running.pid, url: running.url, logFile: daemonLogFile(config) };
}

export async function daemonStatus(config: Config): Promise<DaemonInfo | null> {
  const running = readLivePidFile(config.home);
  return running ? { pid: running.pid, url: running.url, logFile: daemonLogFile(config) } : null;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
