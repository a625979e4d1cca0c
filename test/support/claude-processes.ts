/** The live Claude Code processes a given process started, found in /proc (Linux). */
import { readdirSync, readFileSync } from 'node:fs';
import { bundledClaudePath } from './agent-env.js';

/** Pids of the processes whose parent is `parentPid` and that run the bundled Claude Code binary. */
export function claudeChildrenOf(parentPid: number): number[] {
  const claude = bundledClaudePath();
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command name, which may hold spaces: state, then the parent's pid.
        const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return parent === parentPid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith(claude);
      } catch {
        return false; // exited meanwhile
      }
    })
    .map(Number);
}
