/**
 * `claude-worker wait ID...`: blocks until the tasks have ended, printing each
 * outcome as it comes. The server answers a wait as soon as every task has
 * ended (or after at most 50 s), so a long wait is a few requests, not polling.
 * Exit: 0 all completed, 1 any failed or cancelled, 124 timed out first.
 */
import type { Command } from 'commander';
import { loadConfig } from '../../core/config.js';
import { isTerminal, type Task } from '../../core/task.js';
import { MAX_WAIT_SECONDS } from '../../service/wait-for-tasks.js';
import { integerIn, parseTaskId } from '../arguments.js';
import { connect } from '../connect.js';
import { notifyDesktop } from '../desktop-notification.js';
import { notice, print, printJson, stdoutStyle } from '../io.js';
import { renderOutcome } from '../watch.js';

/** Like timeout(1): the command gave up waiting; the tasks keep running. */
export const TIMED_OUT_EXIT_CODE = 124;
/** Each round is short enough that the progress line stays current. */
const ROUND_SECONDS = 10;

interface WaitOptions {
  timeout?: number;
  json?: boolean;
  notify?: boolean;
}

export function registerWaitCommand(program: Command): void {
  program
    .command('wait')
    .description('Wait until tasks have ended; exit 0 if all completed, 1 if any failed or was cancelled, 124 on --timeout')
    .argument('<ids...>', 'task ids', (value: string, previous: number[] = []) => [...previous, parseTaskId(value)])
    .option('-t, --timeout <seconds>', 'give up after this many seconds (default: wait as long as it takes)', integerIn(0))
    .option('--json', 'print the tasks as JSON at the end')
    .option('--notify', 'a desktop notification (notify-send or osascript) when the tasks have ended')
    .action(async (given: number[], options: WaitOptions) => {
      const ids = [...new Set(given)];
      const client = await connect(loadConfig(), notice);
      const deadline = options.timeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.timeout * 1000;
      const style = stdoutStyle();
      const latest = new Map<number, Task>();
      const working = () => ids.filter((id) => !isTerminal(latest.get(id)?.status ?? 'pending'));
      for (;;) {
        const seconds = Math.min(ROUND_SECONDS, MAX_WAIT_SECONDS, Math.max(0, (deadline - Date.now()) / 1000));
        const before = working();
        const outcome = await client.waitForTasks(before, seconds);
        for (const task of outcome.tasks) {
          latest.set(task.id, task);
          if (isTerminal(task.status) && !options.json) print(renderOutcome(task, style));
        }
        const left = working();
        if (left.length === 0 || Date.now() >= deadline) break;
        if (!options.json && process.stderr.isTTY) notice(`waiting for ${left.length} of ${ids.length} task(s)…`);
      }
      const tasks = ids.map((id) => latest.get(id)!);
      if (options.json) printJson(tasks);
      const left = working();
      if (options.notify && left.length === 0) await notifyDesktop(tasks);
      if (left.length > 0) notice(`Timed out; ${describeUnended(left.map((id) => latest.get(id)!))} (the tasks keep going).`);
      process.exitCode = exitCodeFor(tasks);
    });
}

/** `still running: 4, 5; still pending: 6`: the tasks that have not ended, by their status. */
function describeUnended(tasks: readonly Task[]): string {
  const byStatus = new Map<string, number[]>();
  for (const task of tasks) byStatus.set(task.status, [...(byStatus.get(task.status) ?? []), task.id]);
  return [...byStatus].map(([status, ids]) => `still ${status}: ${ids.join(', ')}`).join('; ');
}

function exitCodeFor(tasks: readonly Task[]): number {
  if (tasks.some((task) => !isTerminal(task.status))) return TIMED_OUT_EXIT_CODE;
  return tasks.every((task) => task.status === 'completed') ? 0 : 1;
}
