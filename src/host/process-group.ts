/**
 * Stopping an agent means stopping its whole process tree: Claude Code starts
 * shells, language servers and test runners of its own. Each agent runs as
 * the leader of its own process group, so one signal to `-pgid` reaches them.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** Sends `signal` to every process of the group; false when the group is already gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

export function isGroupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0 as unknown as NodeJS.Signals);
}

/**
 * SIGTERM to the group, then SIGKILL after `graceMs` if anything is left.
 * Resolves once the group is gone (or after the SIGKILL was sent and a short
 * wait for the kernel to reap it).
 */
export async function killGroup(pgid: number, graceMs = 3000, pollMs = 50): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  for (let waited = 0; waited < graceMs; waited += pollMs) {
    await delay(pollMs);
    if (!isGroupAlive(pgid)) return;
  }
  signalGroup(pgid, 'SIGKILL');
  for (let waited = 0; waited < 2000 && isGroupAlive(pgid); waited += pollMs) await delay(pollMs);
}
