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
import { bareHost, type Config } from '../core/config.js';
import { ClaudeWorkerError, ServerUnreachableError } from '../core/errors.js';
import { formatLabels } from '../core/labels.js';
import type { ServerWarning } from '../core/schemas.js';
import { isProcessRunning } from '../host/identity.js';
import { ClaudeWorkerClient } from '../client/http-client.js';
import { httpFetch } from '../client/http-fetch.js';
import { listenUrl } from '../server/listen-address.js';
import { assertNoServerRunning, readLivePidFile, removePidFile, type PidFile, type ServerStartFlags } from './pid-file.js';
import { assertSafeBind } from '../server/security.js';
import type { ListenOptions } from './serve.js';

const CLI_ENTRY = fileURLToPath(new URL('../cli/main.js', import.meta.url));
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;
/** Readiness is asked for often: the first `run` of the day waits on it, and a check is one small file read. */
const READY_POLL_MS = 10;

/** The daemon exited or never became ready; the message ends with its log. */
export class DaemonStartError extends ClaudeWorkerError {
  readonly code = 'server_error' as const;
  readonly httpStatus = 500;

  constructor(message: string) {
    super(message);
    this.name = 'DaemonStartError';
  }
}

export interface DaemonInfo {
  pid: number;
  url: string;
  logFile: string;
}

export interface StartedDaemon extends DaemonInfo {
  /** What the daemon's environment will make its tasks fail with (see serverWarnings). */
  warnings: ServerWarning[];
}

export function daemonLogFile(config: Config): string {
  return join(config.home, 'server.log');
}

/**
 * Starts the daemon on `listen` (workers default to the configured number; 0
 * serves the API only). `flags`, the other options `server start` was given,
 * are passed on so the daemon records them for `server restart`.
 */
export async function startDaemon(
  config: Config,
  listen: Omit<ListenOptions, 'concurrency'> & { concurrency?: number },
  flags: Omit<ServerStartFlags, 'worker' | 'concurrency'> = {},
): Promise<StartedDaemon> {
  const host = bareHost(listen.host);
  // Refused here too, so the reason is not buried in the daemon's log.
  assertSafeBind(host, config.token);
  assertNoServerRunning(config.home);
  mkdirSync(config.home, { recursive: true, mode: 0o700 });
  const logFile = daemonLogFile(config);
  const out = openSync(logFile, 'a', 0o600);
  const concurrency = listen.concurrency ?? config.concurrency;
  const child = spawn(
    process.execPath,
    [
      CLI_ENTRY,
      'server',
      'start',
      '--foreground',
      '--host',
      host,
      '--port',
      String(listen.port),
      ...(concurrency === 0 ? ['--no-worker'] : ['--concurrency', String(concurrency)]),
      ...flagArguments(flags),
    ],
    {
      detached: true,
      stdio: ['ignore', out, out],
      // Pinned to this config's files and token, whatever the environment says.
      env: {
        ...process.env,
        CLAUDE_WORKER_HOME: config.home,
        CLAUDE_WORKER_DB: config.dbPath,
        CLAUDE_WORKER_LOG_DIR: config.logDir,
        CLAUDE_WORKER_TOKEN: config.token ?? '',
        CLAUDE_WORKER_PERMISSION_MODE: config.permissionMode,
        CLAUDE_WORKER_LABELS: formatLabels(config.labels),
        CLAUDE_WORKER_NAME: config.workerName,
        CLAUDE_WORKER_DRAIN_TIMEOUT: String(config.drainTimeoutSeconds),
      },
    },
  );
  closeSync(out);
  child.unref();
  const url = listenUrl(host, listen.port);
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));

  const client = new ClaudeWorkerClient({ baseUrl: url, token: config.token, fetch: httpFetch });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    // Ready when our child recorded itself (it does so once listening) and answers: another
    // server answering on the same URL must not pass for it.
    if (readLivePidFile(config.home)?.pid === child.pid) {
      try {
        const { warnings } = await client.health();
        return { pid: child.pid!, url, logFile, warnings };
      } catch (error) {
        if (!(error instanceof ServerUnreachableError)) throw error;
      }
    }
    if (exited !== null || Date.now() > deadline) {
      const why = exited !== null ? `exited with code ${exited}` : `did not answer within ${READY_TIMEOUT_MS / 1000} s`;
      throw new DaemonStartError(
        `The claude-worker server ${why}. Its log (${logFile}) ends with:\n${logTail(logFile)}\n` +
          "Run `claude-worker doctor` to check this machine's setup.",
      );
    }
    await delay(READY_POLL_MS);
  }
}

/**
 * Stops the recorded daemon; null when none was running. It gets the drain
 * timeout it recorded when it started (whatever this process's environment
 * says) on top of the usual wait, so its running tasks may finish.
 */
export async function stopDaemon(config: Config): Promise<DaemonInfo | null> {
  const running = readLivePidFile(config.home);
  if (!running) return null;
  signal(running.pid, 'SIGTERM');
  const drainSeconds = running.drain_timeout_seconds ?? config.drainTimeoutSeconds;
  const deadline = Date.now() + drainSeconds * 1000 + STOP_TIMEOUT_MS;
  while (readLivePidFile(config.home) && Date.now() < deadline) await delay(POLL_MS);
  if (readLivePidFile(config.home)) {
    // Its tasks are recovered by the next server, as after a crash.
    signal(running.pid, 'SIGKILL');
    removePidFile(config.home, running.pid);
  }
  while (isProcessRunning(running.pid)) await delay(POLL_MS);
  return { pid: running.pid, url: running.url, logFile: daemonLogFile(config) };
}

export async function daemonStatus(config: Config): Promise<DaemonInfo | null> {
  const running = readLivePidFile(config.home);
  return running ? { pid: running.pid, url: running.url, logFile: daemonLogFile(config) } : null;
}

/** What `server restart` needs of the running server: its address and the options it was started with. */
export function daemonStartOptions(config: Config): Pick<PidFile, 'host' | 'port' | 'start_flags'> | null {
  const running = readLivePidFile(config.home);
  return running ? { host: running.host, port: running.port, start_flags: running.start_flags ?? {} } : null;
}

/** The command-line form of `flags`, which the daemon parses as `server start` does. */
function flagArguments(flags: Omit<ServerStartFlags, 'worker' | 'concurrency'>): string[] {
  return [
    ...(flags.permissionMode === undefined ? [] : ['--permission-mode', flags.permissionMode]),
    ...(flags.db === undefined ? [] : ['--db', flags.db]),
    ...(flags.name === undefined ? [] : ['--name', flags.name]),
    ...(flags.labels === undefined ? [] : ['--labels', formatLabels(flags.labels)]),
    ...(flags.drainTimeout === undefined ? [] : ['--drain-timeout', String(flags.drainTimeout)]),
  ];
}

/** Signals `pid`; it may have exited since it was looked at, which is fine. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}
