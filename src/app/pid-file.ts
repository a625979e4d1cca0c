/**
 * The server's pid file, `<home>/server.json`: where the server listens and
 * which process it is. One home, one server: every server (daemon or
 * foreground) claims the file, and a second one is refused while the first lives.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeWorkerError } from '../core/errors.js';
import type { Labels } from '../core/labels.js';
import type { PermissionMode } from '../core/task.js';
import { isSameProcessAlive } from '../host/identity.js';

/** The options `server start` was given besides its address, which `server restart` gives again. */
export interface ServerStartFlags {
  /** False with --no-worker. */
  worker?: boolean;
  concurrency?: number;
  permissionMode?: PermissionMode;
  db?: string;
  name?: string;
  labels?: Labels;
  drainTimeout?: number;
}

export interface PidFile {
  pid: number;
  /** Start time of the process (see processStartTime), so a recycled pid (after a reboot, say) is not taken for the server. */
  proc_start_time: string | null;
  url: string;
  host: string;
  port: number;
  started_at: string;
  /** How long the server lets running tasks finish after SIGTERM, so `server stop` waits that long (absent in files of older versions). */
  drain_timeout_seconds?: number;
  /** Absent in files of older versions. */
  start_flags?: ServerStartFlags;
}

/** A server is already recorded for this home. */
export class ServerAlreadyRunningError extends ClaudeWorkerError {
  readonly code = 'conflict' as const;
  readonly httpStatus = 409;

  constructor(
    readonly pid: number,
    readonly url: string,
  ) {
    super(
      `A claude-worker server is already running at ${url} (pid ${pid}) for this home; one home has one server. ` +
        'Use it, stop it first with: claude-worker server stop, or give a second server a home of its own (CLAUDE_WORKER_HOME).',
    );
    this.name = 'ServerAlreadyRunningError';
  }
}

export function pidFilePath(home: string): string {
  return join(home, 'server.json');
}

/** Throws ServerAlreadyRunningError when a live server holds this home's pid file. */
export function assertNoServerRunning(home: string): void {
  const running = readLivePidFile(home);
  if (running) throw new ServerAlreadyRunningError(running.pid, running.url);
}

/**
 * Records `info` as this home's server, unless a live server holds the file:
 * it is written aside and linked into place, which fails when the file
 * exists, so of two servers starting at once only one gets it.
 */
export function claimPidFile(home: string, info: PidFile): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  const draft = `${pidFilePath(home)}.${info.pid}`;
  writeFileSync(draft, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  try {
    for (;;) {
      try {
        linkSync(draft, pidFilePath(home));
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      // Taken: by a live server (refused), else by a stale file, which the read removes.
      assertNoServerRunning(home);
    }
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The recorded server when its process still runs; a stale or unreadable file is removed. */
export function readLivePidFile(home: string): PidFile | null {
  let info: PidFile;
  try {
    info = JSON.parse(readFileSync(pidFilePath(home), 'utf8')) as PidFile;
  } catch (error) {
    // Files are linked into place whole, so one that does not parse is junk, not one being written.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') rmSync(pidFilePath(home), { force: true });
    return null;
  }
  if (isSameProcessAlive(info.pid, info.proc_start_time ?? null)) return info;
  rmSync(pidFilePath(home), { force: true });
  return null;
}

/** Removes the pid file if it still names `pid` (another server may have replaced it). */
export function removePidFile(home: string, pid: number): void {
  try {
    const info = JSON.parse(readFileSync(pidFilePath(home), 'utf8')) as PidFile;
    if (info.pid === pid) rmSync(pidFilePath(home), { force: true });
  } catch {
    // already gone
  }
}
