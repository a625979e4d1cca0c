/**
 * Stopping an agent means stopping its whole process tree: Claude Code starts
 * shells, language servers and test runners of its own. Each agent runs as
 * the leader of its own process group, so one signal to `-pgid` reaches them.
 */
import { readdirSync, readFileSync } from 'node:fs';
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

/**
 * Whether any process of the group still runs. Zombies do not count (see
 * isProcessRunning): `kill(-pgid, 0)` alone reports a group alive while a
 * killed grandchild waits to be reaped.
 */
export function isGroupAlive(pgid: number): boolean {
  if (!signalGroup(pgid, 0 as unknown as NodeJS.Signals)) return false;
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return true; // no /proc (not Linux): trust the signal check
  }
  return pids.some((pid) => {
    const stat = readStat(pid);
    if (stat === null) return false;
    // Fields after the command name: state (3rd field overall), ppid, pgrp.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(pgrp) === pgid && state !== 'Z';
  });
}

function readStat(pid: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null; // exited while we looked
  }
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
