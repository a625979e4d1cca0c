/** The daemon's pid file, `<home>/server.json`: where the server listens and which process it is. */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSameProcessAlive } from '../host/identity.js';

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
}

export function pidFilePath(home: string): string {
  return join(home, 'server.json');
}

export function writePidFile(home: string, info: PidFile): void {
  mkdirSync(home, { recursive: true, mode: 0o700 });
  writeFileSync(pidFilePath(home), `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
}

/** The recorded server when its process still runs; a stale file is removed. */
export function readLivePidFile(home: string): PidFile | null {
  let info: PidFile;
  try {
    info = JSON.parse(readFileSync(pidFilePath(home), 'utf8')) as PidFile;
  } catch {
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
