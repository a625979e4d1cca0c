/**
 * Facts about this machine and its processes that let a restarted runner
 * tell a live owner from a dead one (and a recycled pid from the original).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export function hostName(): string {
  return hostname();
}

let cachedBootId: string | undefined;

/** The kernel's boot id; pids recorded under another boot id are meaningless. */
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      cachedBootId = 'unknown'; // not Linux: recovery then relies on pid liveness alone
    }
  }
  return cachedBootId;
}

/** Fields of /proc/PID/stat after the command name (which may hold spaces and parentheses). */
function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Start time of a process in clock ticks since boot (field 22 of
 * /proc/PID/stat), or null when the process does not exist or /proc is absent.
 */
export function processStartTime(pid: number): string | null {
  return statFields(pid)?.[19] ?? null;
}

/**
 * Whether `pid` runs. A zombie (exited, not yet reaped by its parent or by
 * init) does not: here init reaps orphans about 1.9 s after they die, and in
 * a container without an init never.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return statFields(pid)?.[0] !== 'Z';
}

/** Whether `pid` runs and, when its start time was recorded, is still that same process. */
export function isSameProcessAlive(pid: number, recordedStartTime: string | null): boolean {
  if (!isProcessRunning(pid)) return false;
  if (recordedStartTime === null) return true;
  const current = processStartTime(pid);
  return current === null || current === recordedStartTime;
}
